#!/usr/bin/env bash
# A fleet under load, on loopback: one redis-server and three `tickets serve --redis` processes; WORKERS clients in
# parallel, each doing ROUNDS rounds of one full handshake on some member and then RESUMES resumptions, each on the
# next member, offering the newest session s_client saved. Prints the resumption rate and the failures.
#
#   tests/bench/fleet.sh                      # stateless tickets, the fleet's key ring from redis
#   MODE=stateful tests/bench/fleet.sh        # --no-ticket: sessions in redis
#   MODE=single-use tests/bench/fleet.sh      # --single-use-tickets, enforced across the fleet
#   OUTAGE=1 tests/bench/fleet.sh             # redis stopped for OUTAGE_SECONDS in the middle of the run
#
# Every resumption attempt goes to another member than the one that issued the ticket, so a resumption only succeeds
# through the fleet's shared state. Everything it starts is stopped on exit; nothing outside a temp directory is written.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

MODE=${MODE:-stateless}
WORKERS=${WORKERS:-8}
ROUNDS=${ROUNDS:-10}
RESUMES=${RESUMES:-3}
OUTAGE=${OUTAGE:-0}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-3}
MEMBERS=3

case "$MODE" in
  stateless)  mode_flags=() ;;
  stateful)   mode_flags=(--no-ticket) ;;
  single-use) mode_flags=(--single-use-tickets) ;;
  *) echo "fleet: MODE must be stateless, stateful or single-use" >&2; exit 2 ;;
esac
for tool in redis-server openssl dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fleet: $tool is needed" >&2; exit 2; }
done

dotnet build shell/Tickets.Cli -c Release >/dev/null 2>&1 || { echo "fleet: build failed (dotnet build shell/Tickets.Cli -c Release)" >&2; exit 1; }
cli=shell/Tickets.Cli/bin/Release/net10.0/Tickets.Cli.dll

work=$(mktemp -d)
pids=()
redis_pid=""
cleanup() {
  for pid in "${pids[@]}" $redis_pid; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: nothing answers a connection to it.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

redis_port=$(free_port)
start_redis() {
  redis-server --port "$redis_port" --save '' --appendonly no --bind 127.0.0.1 >"$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "fleet: redis-server did not start" >&2; exit 1
}
start_redis

head -c 32 /dev/urandom | base64 >"$work/kek"
chmod 600 "$work/kek"
ports=()
for i in $(seq 0 $((MEMBERS - 1))); do
  XDG_DATA_HOME="$work" dotnet "$cli" serve --port 0 --www --quiet --redis "127.0.0.1:$redis_port" \
    --fleet-kek-file "$work/kek" "${mode_flags[@]}" >"$work/member$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    grep -q 'listening on' "$work/member$i.log" && break
    sleep 0.1
  done
  port=$(sed -n 's/^tickets: listening on .*:\([0-9]*\)$/\1/p' "$work/member$i.log")
  [ -n "$port" ] || { echo "fleet: member $i did not start:" >&2; cat "$work/member$i.log" >&2; exit 1; }
  ports+=("$port")
done

# One connection; prints "full", "resumed" or "failed".
connect() {
  local port=$1 offer=$2 save=$3 out
  local args=(s_client -connect "127.0.0.1:$port" -servername localhost -tls1_3 -ign_eof -sess_out "$save")
  [ -n "$offer" ] && args+=(-sess_in "$offer")
  out=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl "${args[@]}" 2>&1) || { echo failed; return; }
  case "$out" in
    *"Reused, TLSv1.3"*) echo resumed ;;
    *"New, TLSv1.3"*) echo full ;;
    *) echo failed ;;
  esac
}

worker() {
  local w=$1 round member offer save result k
  for round in $(seq "$ROUNDS"); do
    member=$(( (w + round) % MEMBERS ))
    save="$work/w$w-r$round-0.pem"
    echo "first $(connect "${ports[$member]}" "" "$save")"
    offer=$save
    for k in $(seq "$RESUMES"); do
      member=$(( (member + 1) % MEMBERS ))
      [ -f "$offer" ] || { echo "resume no-ticket"; break; }
      save="$work/w$w-r$round-$k.pem"
      result=$(connect "${ports[$member]}" "$offer" "$save")
      echo "resume $result"
      # Without single use the same session could be offered again; the newest one is what a client would keep.
      [ -f "$save" ] && offer=$save
    done
  done
}

start=$(date +%s.%N)
workers=()
for w in $(seq "$WORKERS"); do
  worker "$w" >"$work/worker$w.out" &
  workers+=($!)
done
if [ "$OUTAGE" = 1 ]; then
  sleep 2
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null
  echo "fleet: redis stopped"
  sleep "$OUTAGE_SECONDS"
  start_redis
  echo "fleet: redis started again"
fi
# Only the workers: the members and redis run until the cleanup stops them.
wait "${workers[@]}"
end=$(date +%s.%N)

cat "$work"/worker*.out >"$work/all"
count() { grep -c "^$1\$" "$work/all"; }
first_full=$(count "first full"); first_failed=$(count "first failed")
resumed=$(count "resume resumed"); resume_full=$(count "resume full"); resume_failed=$(count "resume failed")
no_ticket=$(count "resume no-ticket")
attempts=$((resumed + resume_full + resume_failed))
handshakes=$((first_full + first_failed + attempts))
failures=$((first_failed + resume_failed))
elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
rate=$(awk -v r="$resumed" -v a="$attempts" 'BEGIN { printf "%.1f", a ? 100 * r / a : 0 }')
per_second=$(awk -v h="$handshakes" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", h / (e - s) }')

echo "fleet: $MEMBERS members + redis, mode $MODE, $WORKERS workers x $ROUNDS rounds x (1 full + $RESUMES resumptions on other members)$( [ "$OUTAGE" = 1 ] && echo ", redis down ${OUTAGE_SECONDS}s mid-run")"
echo "fleet: handshakes $handshakes in ${elapsed}s ($per_second/s), failures $failures"
echo "fleet: resumption attempts $attempts, resumed $resumed, full $resume_full, rounds cut short without a ticket $no_ticket: resumption rate ${rate}%"
for i in $(seq 0 $((MEMBERS - 1))); do
  grep -E 'redis (unavailable|back)' "$work/member$i.log" | sed "s/^/fleet: member $i: /"
done
[ "$failures" -eq 0 ]
