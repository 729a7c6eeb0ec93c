#!/usr/bin/env bash
# Memory held by idle established connections: `tickets serve --www` and the SslStream comparison server,
# each given N (default 1000) TLS 1.3 connections that finished their handshake and then send nothing (the
# server waits for the HTTP request). Prints the server's RSS delta / N. Run on 127.0.0.1 only.
#
#   tests/bench/idle.sh            # N=1000
#   IDLE_CONNECTIONS=2000 tests/bench/idle.sh
#   TICKETS_CLI=/other/build/Tickets.Cli.dll tests/bench/idle.sh   # measure another build of tickets
#
# RSS also counts garbage the GC has not collected yet; the warm-up round (same N, then closed) makes the
# heap and pools grow first, so the delta is mostly what the connections hold.
set -euo pipefail
N=${IDLE_CONNECTIONS:-1000}
BASE_PORT=${BENCH_PORT:-24450}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh" idle
dotnet build "$root/tests/bench/IdleClients" -c Release -nologo -v q >/dev/null
clients="$root/tests/bench/IdleClients/bin/Release/net10.0/IdleClients.dll"

echo '<html>idle</html>' > index.html
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

hold() { # port count -> runs the clients until they are ready, leaves them holding (fd 7 is their stdin)
  coproc CLIENTS { dotnet "$clients" "$1" "$2"; }
  pids+=($CLIENTS_PID)
  read -r line <&"${CLIENTS[0]}"
  [[ $line == ready* ]] || { echo "idle: clients failed: $line" >&2; exit 1; }
}
release() { eval "exec ${CLIENTS[1]}>&-"; wait "$CLIENTS_PID" 2>/dev/null || true; }

measure() { # name port command...
  local name=$1 port=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  local pid=$!; pids+=($pid)
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  hold "$port" "$N"; release; sleep 2                # warm-up: JIT, pools, heap growth
  local before after; before=$(rss_kb "$pid")
  hold "$port" "$N"; sleep 3; after=$(rss_kb "$pid")
  release
  awk -v n="$N" -v b="$before" -v a="$after" -v s="$name" \
    'BEGIN { printf "%-10s RSS %7d KiB -> %7d KiB with %d idle connections: %.1f KiB per connection\n", s, b, a, n, (a - b) / n }'
  kill "$pid" 2>/dev/null || true
}

# Above the default limit of 512 open connections, which would refuse part of the N.
measure tickets   "$BASE_PORT"         dotnet "$tickets_dll" serve --port "$BASE_PORT" --www --quiet --cert cert.pem --key key.pem \
  --max-connections $((N + 16))
measure sslstream "$((BASE_PORT + 1))" dotnet "$sslstream_dll" "$((BASE_PORT + 1))" cert.pem key.pem index.html
