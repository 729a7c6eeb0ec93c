#!/usr/bin/env bash
# Key exchange cost per group: Tickets against `openssl s_server -tls1_3 -www`, same ECDSA P-256 certificate, each
# driven by the same Node 20 client making full handshakes offering one group only (ecdhCurve). Prints, per group, the
# server CPU per full handshake (utime+stime from /proc/PID/stat around the run) for both servers and the ratio.
# The client's own work is not counted, so groups compare by what they cost a server. X25519MLKEM768 has no peer
# here (OpenSSL 3.0 lacks ML-KEM, and so does Node 20's client): see docs/groups-and-keys.md.
#
#   tests/bench/groups.sh                      # 200 handshakes per group and server (40 for ffdhe6144/8192)
#   BENCH_HANDSHAKES=500 tests/bench/groups.sh
#   TICKETS_CLI=/other/build/Tickets.Cli.dll tests/bench/groups.sh
set -euo pipefail

N=${BENCH_HANDSHAKES:-200}
BASE_PORT=${BENCH_PORT:-24530}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh" groups

cat > client.js <<'EOF'
// node client.js PORT GROUP COUNT: COUNT sequential full handshakes offering GROUP only.
const tls = require('tls');
const [port, group, count] = process.argv.slice(2);
let left = Number(count);
function next() {
  if (left-- === 0) return;
  const socket = tls.connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false,
    minVersion: 'TLSv1.3', ecdhCurve: group }, () => { socket.destroy(); next(); });
  socket.on('error', (error) => { console.error(group, String(error)); process.exit(1); });
}
next();
EOF

cpu_ms() { # utime+stime of a process, in ms
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}


start tickets "$BASE_PORT" env XDG_DATA_HOME="$work" dotnet "$tickets_dll" serve --port "$BASE_PORT" --www --quiet \
  --cert cert.pem --key key.pem
# In -www mode s_server never reads standard input, so /dev/null is fine (and leaves no helper process behind).
start openssl "$((BASE_PORT + 1))" bash -c "exec openssl s_server -accept $((BASE_PORT + 1)) -tls1_3 -www -quiet \
  -cert cert.pem -key key.pem < /dev/null"

measure() { # server port group count -> ms per handshake
  local pid
  pid=${pid_of[$1]}
  local before after
  before=$(cpu_ms "$pid")
  node client.js "$2" "$3" "$4"
  after=$(cpu_ms "$pid")
  awk -v a="$after" -v b="$before" -v n="$4" 'BEGIN { printf "%.2f", (a - b) / n }'
}

# Let the .NET JIT reach its final tier before anything is measured (as handshakes.sh warms up for 5 s).
node client.js "$BASE_PORT" X25519 "${BENCH_WARMUP_HANDSHAKES:-1000}"

echo "Server CPU per full handshake, ms ($N handshakes per group and server, Node 20 client, ECDSA P-256 certificate)"
echo
echo "| group | tickets serve | openssl s_server | tickets / OpenSSL |"
echo "|---|---|---|---|"
for group in X25519 P-256 P-384 P-521 X448 ffdhe2048 ffdhe3072 ffdhe4096 ffdhe6144 ffdhe8192; do
  count=$N
  case $group in ffdhe6144|ffdhe8192) count=$(( N / 5 > 0 ? N / 5 : 1 )) ;; esac
  # Warm both up in this group (its own code paths), then measure.
  node client.js "$BASE_PORT" "$group" 10; node client.js "$((BASE_PORT + 1))" "$group" 10
  ours=$(measure tickets "$BASE_PORT" "$group" "$count")
  theirs=$(measure openssl "$((BASE_PORT + 1))" "$group" "$count")
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  echo "| $group | $ours | $theirs | $ratio |"
done
