#!/usr/bin/env bash
# Handshake benchmark: Tickets against `openssl s_server` (OpenSSL 3.x) and a minimal .NET SslStream server,
# all on 127.0.0.1 with the same ECDSA P-256 certificate and the same small page, driven in turn by
# `openssl s_time`. Prints per server: full and resumed handshakes/s, server CPU ms per full and per resumed
# handshake (utime+stime from /proc/PID/stat, before/after each run), the ratios Tickets/OpenSSL and
# Tickets/SslStream, and the marginal server CPU per extra ticket (0 vs 10 tickets, Tickets and s_server).
#
#   tests/bench/handshakes.sh                 # 5 s warm-up, then 3 rounds of 5 s per server and mode (about 5 minutes)
#   BENCH_TIME=10 BENCH_ROUNDS=5 BENCH_WARMUP=10 tests/bench/handshakes.sh
#   TICKETS_CLI=/other/build/Tickets.Cli.dll tests/bench/handshakes.sh   # measure another build of tickets
#   TICKETS_BASELINE_CLI=/old/build/Tickets.Cli.dll tests/bench/handshakes.sh   # add it as a 4th server, "baseline"
#
# Servers are measured one at a time and the order rotates every round, so a neighbour's load (this
# machine is shared) spreads over all of them; read ratios rather than absolute numbers. s_time needs
# -www (else TLS 1.3 tickets are never read and nothing resumes); resumption is checked by counting its
# `r` marks. SslStream on Linux cannot be made to resume from a client it does not control: its -reuse
# line shows what it does.
set -euo pipefail

T=${BENCH_TIME:-5}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-5}
BASE_PORT=${BENCH_PORT:-24430}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh" bench
# About the size of the page `tickets serve --www` writes, so every server sends a similar response.
{ echo '<html><body><pre>'; for i in $(seq 1 12); do echo "benchmark line $i: the same small page from every server"; done; echo '</pre></body></html>'; } > index.html


tickets_serve() { exec dotnet "$tickets_dll" serve --port "$1" --www --quiet --cert cert.pem --key key.pem "${@:2}"; }
s_server() { exec openssl s_server -accept "$1" -tls1_3 -WWW -quiet -cert cert.pem -key key.pem "${@:2}"; }

start tickets      $((BASE_PORT + 0)) tickets_serve $((BASE_PORT + 0))
start openssl      $((BASE_PORT + 1)) s_server      $((BASE_PORT + 1))
start sslstream    $((BASE_PORT + 2)) dotnet "$sslstream_dll" $((BASE_PORT + 2)) cert.pem key.pem index.html
start tickets_t0   $((BASE_PORT + 3)) tickets_serve $((BASE_PORT + 3)) --num-tickets 0
start tickets_t10  $((BASE_PORT + 4)) tickets_serve $((BASE_PORT + 4)) --num-tickets 10
start openssl_t0   $((BASE_PORT + 5)) s_server      $((BASE_PORT + 5)) -num_tickets 0
start openssl_t10  $((BASE_PORT + 6)) s_server      $((BASE_PORT + 6)) -num_tickets 10
main_servers=(tickets openssl sslstream)
if [ -n "${TICKETS_BASELINE_CLI:-}" ]; then
  start baseline $((BASE_PORT + 7)) dotnet "$TICKETS_BASELINE_CLI" serve --port $((BASE_PORT + 7)) --www --quiet --cert cert.pem --key key.pem
  main_servers+=(baseline)
fi

hz=$(getconf CLK_TCK)
# utime + stime of the whole process (all threads), in clock ticks. The command name may hold spaces, so
# the fields are counted after its closing parenthesis: state is the 1st there, utime the 12th.
cpu_ticks() { local stat; stat=$(<"/proc/$1/stat"); awk '{ print $12 + $13 }' <<<"${stat##*) }"; }

declare -A conns cpu wall reused
run() { # name mode(new|reuse) seconds [record]
  local name=$1 mode=$2 seconds=$3 record=${4:-yes} before after start_ns end_ns out marks n
  before=$(cpu_ticks "${pid_of[$name]}"); start_ns=$(date +%s%N)
  out=$(openssl s_time -connect "127.0.0.1:${port[$name]}" -www /index.html "-$mode" -time "$seconds" 2>&1 || true)
  end_ns=$(date +%s%N); after=$(cpu_ticks "${pid_of[$name]}")
  [ "$record" = yes ] || return 0
  n=$(sed -nE 's/^([0-9]+) connections in [0-9]+ real seconds.*/\1/p' <<<"$out" | tail -1)
  marks=$(grep -E '^[*rt0-9]+$' <<<"$out" | tr -d '\n' || true)
  local key="$name/$mode"
  conns[$key]=$(( ${conns[$key]:-0} + ${n:-0} ))
  cpu[$key]=$(( ${cpu[$key]:-0} + after - before ))
  wall[$key]=$(( ${wall[$key]:-0} + (end_ns - start_ns) / 1000000 ))
  reused[$key]=$(( ${reused[$key]:-0} + $(tr -cd 'r' <<<"$marks" | wc -c) ))
}

ticket_servers=(tickets_t0 tickets_t10 openssl_t0 openssl_t10)

# Steady state is what is compared: the .NET servers compile their hot paths twice (quickly, then optimised with
# profile data) during their first seconds of load, which a 1-s warm-up left partly inside the measurement.
echo "bench: warming up ${WARMUP}s per server and mode (JIT tiers, caches)" >&2
for s in "${main_servers[@]}" "${ticket_servers[@]}"; do run "$s" new "$WARMUP" no; run "$s" reuse "$WARMUP" no; done

for round in $(seq 1 "$ROUNDS"); do
  echo "bench: round $round/$ROUNDS" >&2
  # Rotate the order each round so no server always follows the same neighbour.
  k=$(( (round - 1) % ${#main_servers[@]} ))
  order=("${main_servers[@]:k}" "${main_servers[@]:0:k}")
  for s in "${order[@]}"; do run "$s" new "$T"; run "$s" reuse "$T"; done
  k=$(( (round - 1) % ${#ticket_servers[@]} ))
  order=("${ticket_servers[@]:k}" "${ticket_servers[@]:0:k}")
  for s in "${order[@]}"; do run "$s" new "$T"; done
done

# ms of server CPU per handshake, handshakes per second of wall time.
per_hs() { awk -v t="${cpu[$1]:-0}" -v n="${conns[$1]:-0}" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "n/a" }'; }
rate() { awk -v n="${conns[$1]:-0}" -v ms="${wall[$1]:-0}" 'BEGIN { if (ms > 0) printf "%.0f", n * 1000 / ms; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo
echo "Handshakes on 127.0.0.1, $ROUNDS rounds x ${T}s per server and mode, $(nproc) cores, $(openssl version | cut -d' ' -f1-2)"
printf '%-10s %10s %12s %10s %12s %14s %16s\n' server "full/s" "CPU ms/full" "resumed/s" "CPU ms/res." "resumed marks" "reuse conns"
for s in "${main_servers[@]}"; do
  printf '%-10s %10s %12s %10s %12s %14s %16s\n' "$s" "$(rate "$s/new")" "$(per_hs "$s/new")" \
    "$(rate "$s/reuse")" "$(per_hs "$s/reuse")" "${reused[$s/reuse]:-0}" "${conns[$s/reuse]:-0}"
done
echo
echo "Ratios of server CPU per handshake (lower is better for Tickets):"
echo "  full:    Tickets/OpenSSL $(ratio "$(per_hs tickets/new)" "$(per_hs openssl/new)")   Tickets/SslStream $(ratio "$(per_hs tickets/new)" "$(per_hs sslstream/new)")"
echo "  resumed: Tickets/OpenSSL $(ratio "$(per_hs tickets/reuse)" "$(per_hs openssl/reuse)")   Tickets/SslStream $(ratio "$(per_hs tickets/reuse)" "$(per_hs sslstream/reuse)") (SslStream resumed ${reused[sslstream/reuse]:-0} of ${conns[sslstream/reuse]:-0})"
echo
marginal() { awk -v a="$(per_hs "$1/new")" -v b="$(per_hs "$2/new")" 'BEGIN { printf "%.4f", (b - a) / 10 }'; }
mt=$(marginal tickets_t0 tickets_t10); mo=$(marginal openssl_t0 openssl_t10)
echo "Marginal server CPU per extra ticket (full handshakes with 0 vs 10 tickets):"
echo "  Tickets  $mt ms/ticket (0: $(per_hs tickets_t0/new) ms, 10: $(per_hs tickets_t10/new) ms per handshake)"
echo "  OpenSSL  $mo ms/ticket (0: $(per_hs openssl_t0/new) ms, 10: $(per_hs openssl_t10/new) ms per handshake)"
echo "  Tickets/OpenSSL $(ratio "$mt" "$mo")"
if [ -n "${TICKETS_BASELINE_CLI:-}" ]; then
  echo
  echo "Tickets/baseline: full $(ratio "$(per_hs tickets/new)" "$(per_hs baseline/new)")   resumed $(ratio "$(per_hs tickets/reuse)" "$(per_hs baseline/reuse)")"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
