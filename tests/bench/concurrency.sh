#!/usr/bin/env bash
# Concurrency benchmark: `tickets serve --www` against nginx (Debian's nginx-light: 2 workers, OpenSSL 3) and
# Kestrel over SslStream (tests/bench/KestrelServer), all on 127.0.0.1 with the same ECDSA P-256 certificate,
# TLS 1.3 only, every response closing its connection. h2load (nghttp2-client) drives them over HTTP/1.1 (--h1:
# `tickets serve --www` speaks no HTTP/2), reconnecting after every response and resuming with the last ticket
# it got. Two mixes:
#   (a) resumed: 40 clients making 6000 requests in all, so every client resumes all but its first handshake
#   (b) full:    1000 one-shot clients at once (one connection, one request each), run 3 times per round
# Per server and mix: requests (= handshakes) per second, server CPU ms per handshake (utime+stime from
# /proc/PID/stat, summed over nginx's workers), and both as ratios to nginx. Then handshake latency p50/p99 at a
# fixed offered rate (tests/bench/handshake_latency.py, an open-loop client), full and resumed, per round.
# Resumption is checked once per server with tshark (ServerHellos carrying pre_shared_key), outside the timed runs.
#
#   tests/bench/concurrency.sh                         # 3 rounds, servers in rotating order (about 4 minutes)
#   BENCH_ROUNDS=5 BENCH_RATE=500 tests/bench/concurrency.sh
#   TICKETS_CLI=/other/Tickets.Cli.dll tests/bench/concurrency.sh            # measure another build of tickets
#   TICKETS_BASELINE_CLI=/old/Tickets.Cli.dll tests/bench/concurrency.sh   # add it as a 4th server, "baseline"
#
# Needs, on a fresh Debian machine: apt-get install nginx-light nghttp2-client python3 (and tshark for the
# resumption check, which is skipped without it). Not part of CI. The machine is shared: read the ratios, which
# come from runs alternating in the same window, and the spread across rounds.
set -euo pipefail

CLIENTS=${BENCH_CLIENTS:-40}
REQUESTS=${BENCH_REQUESTS:-6000}
ONESHOT=${BENCH_ONESHOT:-1000}
ONESHOT_RUNS=${BENCH_ONESHOT_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-3}
RATE=${BENCH_RATE:-300}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-8}
BASE_PORT=${BENCH_PORT:-24530}

for tool in nginx h2load python3; do
  command -v "$tool" >/dev/null || { echo "concurrency: $tool not found (apt-get install nginx-light nghttp2-client python3)" >&2; exit 1; }
done
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh" concurrency
dotnet build "$root/tests/bench/KestrelServer" -c Release -nologo -v q >/dev/null
kestrel_dll="$root/tests/bench/KestrelServer/bin/Release/net10.0/KestrelServer.dll"
# nginx's workers run as another user when started by root: let them read the page.
chmod 755 "$work"
# The page every server sends (tickets serve --www writes its own page, describing the connection, of similar size).
{ echo '<html><body><pre>'; for i in $(seq 1 12); do echo "benchmark line $i: the same small page from every server"; done; echo '</pre></body></html>'; } > index.html

mkdir -p nginx
cat > nginx/nginx.conf <<EOF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_timeout 0;
  server {
    listen 127.0.0.1:$BASE_PORT ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.3;
    root $work;
  }
}
EOF

# Without --max-connections the one-shot mix would meet tickets' default limit of 512 open connections.
tickets_serve() { exec dotnet "$1" serve --port "$2" --www --quiet --cert cert.pem --key key.pem --max-connections 4096; }

start nginx   $((BASE_PORT + 0)) nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
start kestrel $((BASE_PORT + 1)) dotnet "$kestrel_dll" $((BASE_PORT + 1)) cert.pem key.pem index.html
start tickets $((BASE_PORT + 2)) tickets_serve "$tickets_dll" $((BASE_PORT + 2))
servers=(nginx kestrel tickets)
if [ -n "${TICKETS_BASELINE_CLI:-}" ]; then
  start baseline $((BASE_PORT + 3)) tickets_serve "$TICKETS_BASELINE_CLI" $((BASE_PORT + 3))
  servers+=(baseline)
fi

# utime + stime in clock ticks of a server: its process, or for nginx every worker (the master only supervises).
ticks_of_pid() { local stat; stat=$(<"/proc/$1/stat"); awk '{ print $12 + $13 }' <<<"${stat##*) }"; }
server_ticks() {
  local pid=${pid_of[$1]} total=0 child
  if [ "$1" = nginx ]; then
    for child in $(pgrep -P "$pid"); do total=$((total + $(ticks_of_pid "$child"))); done
  fi
  echo $((total + $(ticks_of_pid "$pid")))
}
hz=$(getconf CLK_TCK)

# One h2load run; prints "succeeded milliseconds".
h2() { # name clients requests
  local out
  out=$(h2load --h1 -c "$2" -n "$3" "https://127.0.0.1:${port[$1]}/index.html" 2>&1 || true)
  awk '/^finished in/ { t = $3; sub(/,$/, "", t); ms = t + 0; if (t ~ /us$/) ms /= 1000; else if (t !~ /ms$/) ms *= 1000 }
       /^requests:/ { ok = $8 } END { printf "%d %.1f\n", ok, ms }' <<<"$out"
}

declare -A done_n ms ticks per_round
measure() { # name mix round
  local name=$1 mix=$2 round=$3 before after n=0 t=0 r
  before=$(server_ticks "$name")
  if [ "$mix" = resumed ]; then
    read -r n t < <(h2 "$name" "$CLIENTS" "$REQUESTS")
  else
    for _ in $(seq 1 "$ONESHOT_RUNS"); do
      read -r a b < <(h2 "$name" "$ONESHOT" "$ONESHOT")
      n=$((n + a)); t=$(awk -v x="$t" -v y="$b" 'BEGIN { print x + y }')
    done
  fi
  after=$(server_ticks "$name")
  local key="$name/$mix"
  done_n[$key]=$(( ${done_n[$key]:-0} + n ))
  ms[$key]=$(awk -v x="${ms[$key]:-0}" -v y="$t" 'BEGIN { print x + y }')
  ticks[$key]=$(( ${ticks[$key]:-0} + after - before ))
  r=$(awk -v c=$((after - before)) -v n="$n" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.3f", c * 1000 / hz / n; else print "n/a" }')
  per_round[$key/$round]=$r
}

declare -A latency
measure_latency() { # name round
  local m
  for m in full resumed; do
    latency[$1/$m/$2]=$(python3 "$here/handshake_latency.py" "${port[$1]}" "$RATE" "$LATENCY_SECONDS" "$m")
  done
}

echo "concurrency: warming up every server (JIT tiers, caches)" >&2
for s in "${servers[@]}"; do h2 "$s" "$CLIENTS" "$REQUESTS" >/dev/null; h2 "$s" "$ONESHOT" "$ONESHOT" >/dev/null; done

declare -A resumption
if command -v tshark >/dev/null; then
  echo "concurrency: checking resumption with tshark" >&2
  for s in "${servers[@]}"; do
    for mix in resumed full; do
      timeout 60 tshark -i lo -f "tcp src port ${port[$s]}" -w "$work/$s-$mix.pcap" -q >/dev/null 2>&1 & cap=$!
      sleep 2
      if [ $mix = resumed ]; then h2 "$s" "$CLIENTS" 1000 >/dev/null; else h2 "$s" "$ONESHOT" "$ONESHOT" >/dev/null; fi
      sleep 1; kill -INT "$cap" 2>/dev/null || true; wait "$cap" 2>/dev/null || true
      resumption[$s/$mix]=$(tshark -r "$work/$s-$mix.pcap" -Y "tls.handshake.type == 2" -T fields -e tls.handshake.extension.type 2>/dev/null \
        | awk '{ n++; if ($0 ~ /(^|,)41(,|$)/) r++ } END { printf "%d of %d", r, n }')
    done
  done
fi

for round in $(seq 1 "$ROUNDS"); do
  echo "concurrency: round $round/$ROUNDS" >&2
  k=$(( (round - 1) % ${#servers[@]} ))
  order=("${servers[@]:k}" "${servers[@]:0:k}")
  for s in "${order[@]}"; do measure "$s" resumed "$round"; measure "$s" full "$round"; done
  for s in "${order[@]}"; do measure_latency "$s" "$round"; done
done

per_hs() { awk -v t="${ticks[$1]:-0}" -v n="${done_n[$1]:-0}" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "n/a" }'; }
rate() { awk -v n="${done_n[$1]:-0}" -v ms="${ms[$1]:-0}" 'BEGIN { if (ms > 0) printf "%.0f", n * 1000 / ms; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
rounds_of() { local r out=""; for r in $(seq 1 "$ROUNDS"); do out+="${out:+ }${per_round[$1/$r]:-n/a}"; done; echo "$out"; }
ratio_rounds() { # server mix: per-round CPU ratio to nginx
  local r out=""; for r in $(seq 1 "$ROUNDS"); do out+="${out:+ }$(ratio "${per_round[$1/$2/$r]:-0}" "${per_round[nginx/$2/$r]:-0}")"; done; echo "$out"
}

echo
echo "Concurrency on 127.0.0.1, h2load --h1, $ROUNDS rounds, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(nginx -v 2>&1 | cut -d' ' -f3), $(openssl version | cut -d' ' -f1-2), .NET $(dotnet --list-runtimes | awk '/NETCore.App/ { v = $2 } END { print v }')"
for mix in resumed full; do
  echo
  if [ $mix = resumed ]; then echo "(a) $CLIENTS clients x $REQUESTS requests, mostly resumed"; else echo "(b) $ONESHOT one-shot clients x $ONESHOT_RUNS runs per round, full handshakes"; fi
  printf '%-9s %8s %11s %8s %9s   %-26s %-20s %s\n' server "req/s" "CPU ms/hs" "req/s÷" "CPU÷" "CPU ms/hs per round" "CPU÷nginx per round" "resumed (tshark)"
  for s in "${servers[@]}"; do
    printf '%-9s %8s %11s %8s %9s   %-26s %-20s %s\n' "$s" "$(rate "$s/$mix")" "$(per_hs "$s/$mix")" \
      "$(ratio "$(rate "$s/$mix")" "$(rate "nginx/$mix")")" "$(ratio "$(per_hs "$s/$mix")" "$(per_hs "nginx/$mix")")" \
      "$(rounds_of "$s/$mix")" "$(ratio_rounds "$s" "$mix")" "${resumption[$s/$mix]:-not checked}"
  done
done
echo "(req/s÷ and CPU÷: ratio to nginx over all rounds; higher req/s and lower CPU are better)"
echo
echo "Handshake latency at $RATE connections/s offered for ${LATENCY_SECONDS}s (ms from schedule to handshake done; p50/p99 per round)"
printf '%-9s %-40s %s\n' server "full" "resumed"
for s in "${servers[@]}"; do
  f=""; r=""
  for round in $(seq 1 "$ROUNDS"); do
    f+="${f:+  }$(awk '{ print $1 "/" $2 }' <<<"${latency[$s/full/$round]}")"
    r+="${r:+  }$(awk '{ print $1 "/" $2 }' <<<"${latency[$s/resumed/$round]}")"
  done
  printf '%-9s %-40s %s\n' "$s" "$f" "$r"
done
echo "latency probe failures: $(for s in "${servers[@]}"; do for m in full resumed; do for round in $(seq 1 "$ROUNDS"); do awk '{ print $NF }' <<<"${latency[$s/$m/$round]}"; done; done; done | awk '{ s += $1 } END { print s + 0 }')"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
