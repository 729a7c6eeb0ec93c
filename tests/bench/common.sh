# Sourced by the benchmark scripts: what they all need before they measure anything.
#   root          the repository
#   work          a scratch directory, removed on exit with every process listed in pids
#   tickets_dll   the Release build of `tickets` (or $TICKETS_CLI, to measure another build)
#   sslstream_dll the SslStream comparison server
#   start         start NAME PORT COMMAND...: runs a server in the background, logging to $work/NAME.log, and returns
#                 once PORT accepts connections; its pid is ${pid_of[NAME]}, its port ${port[NAME]}
# and, in $work (the current directory afterwards), cert.pem/key.pem: one ECDSA P-256 certificate every server uses.
# Usage: source common.sh NAME   (NAME prefixes the progress lines)

bench_name=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

declare -A port pid_of
start() { # name port command...
  local name=$1 p=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!); pid_of[$name]=$!; port[$name]=$p
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$bench_name: $name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

echo "$bench_name: building Release" >&2
[ -n "${TICKETS_CLI:-}" ] || dotnet build "$root/shell/Tickets.Cli" -c Release -nologo -v q >/dev/null
dotnet build "$root/tests/bench/SslStreamServer" -c Release -nologo -v q >/dev/null
tickets_dll=${TICKETS_CLI:-"$root/shell/Tickets.Cli/bin/Release/net10.0/Tickets.Cli.dll"}
sslstream_dll="$root/tests/bench/SslStreamServer/bin/Release/net10.0/SslStreamServer.dll"

cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem \
  -days 2 -subj /CN=localhost 2>/dev/null
