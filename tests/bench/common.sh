# Sourced by handshakes.sh and idle.sh: what both need before they measure anything.
#   root          the repository
#   work          a scratch directory, removed on exit with every process listed in pids
#   tickets_dll   the Release build of `tickets` (or $TICKETS_CLI, to measure another build)
#   sslstream_dll the SslStream comparison server
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

echo "$bench_name: building Release" >&2
[ -n "${TICKETS_CLI:-}" ] || dotnet build "$root/shell/Tickets.Cli" -c Release -nologo -v q >/dev/null
dotnet build "$root/tests/bench/SslStreamServer" -c Release -nologo -v q >/dev/null
tickets_dll=${TICKETS_CLI:-"$root/shell/Tickets.Cli/bin/Release/net10.0/Tickets.Cli.dll"}
sslstream_dll="$root/tests/bench/SslStreamServer/bin/Release/net10.0/SslStreamServer.dll"

cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem \
  -days 2 -subj /CN=localhost 2>/dev/null
