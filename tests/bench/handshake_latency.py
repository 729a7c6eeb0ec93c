#!/usr/bin/env python3
"""Handshake latency at a fixed offered rate, for tests/bench/concurrency.sh.

    handshake_latency.py PORT RATE SECONDS full|resumed

Opens RATE connections per second to 127.0.0.1:PORT for SECONDS, on a fixed schedule that does not wait for
earlier connections (an open loop: a slow server cannot slow the offered load down and hide its own queueing).
Each connection does a TLS 1.3 handshake (Python's ssl module, i.e. OpenSSL), sends one GET, reads the page to
the end and closes. "resumed" offers the most recent ticket a finished connection received, so all but the first
few connections resume; "full" never offers one.

The latency of one handshake runs from the moment its connection was scheduled to the moment the client holds
the server's Finished and has sent its own (the end of do_handshake()), so time spent waiting for a free client
thread or in the server's accept queue counts. Prints one line:

    p50_ms P99_MS handshakes N resumed N failed N
"""
import socket
import ssl
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

port, rate, seconds, mode = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
if mode not in ("full", "resumed"):
    sys.exit("mode must be full or resumed")

context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.minimum_version = ssl.TLSVersion.TLSv1_3
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
request = b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"

lock = threading.Lock()
latest_session = None
latencies, resumed, failed = [], 0, 0


def one(scheduled):
    global latest_session, resumed, failed
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = latest_session if mode == "resumed" else None
            with context.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
                done = time.perf_counter()
                tls.sendall(request)
                while tls.recv(4096):
                    pass
                # TLS 1.3 tickets arrive after the handshake: the session is worth keeping only now.
                with lock:
                    latencies.append(done - scheduled)
                    resumed += tls.session_reused
                    if mode == "resumed" and tls.session is not None:
                        latest_session = tls.session
    except (OSError, ssl.SSLError):
        with lock:
            failed += 1


count = int(rate * seconds)
start = time.perf_counter() + 0.05
with ThreadPoolExecutor(max_workers=64) as pool:
    for i in range(count):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        pool.submit(one, scheduled)

latencies.sort()


def percentile(p):
    if not latencies:
        return float("nan")
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000


print(f"{percentile(50):.2f} {percentile(99):.2f} handshakes {len(latencies)} resumed {resumed} failed {failed}")
