#!/usr/bin/env bash
# Load and soak run against the real `tickets serve` on loopback: CLIENTS concurrent echo clients (default 200) for
# SECONDS (default 60), full and resumed handshakes, SHA-256 of every echoed payload checked, server RSS and open
# descriptors before and after. It is the CI soak test (tests/Tickets.Tests/Soak) with the long settings; the run
# stops by itself and exits non-zero on any failed handshake, corrupted payload or leaked descriptor.
# With PHASES > 1 the same server takes the load again and again: RSS that stays flat from the second phase on is
# memory the runtime keeps after its peak, RSS that grows with every phase would be a leak.
#   usage: tests/bench/soak.sh [CLIENTS] [SECONDS] [PHASES]      (CONFIGURATION=Debug to reuse a Debug build)
set -uo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-200}
seconds=${2:-60}
phases=${3:-1}
case "$clients$seconds$phases" in *[!0-9]*) echo "usage: $0 [CLIENTS] [SECONDS] [PHASES]" >&2; exit 2 ;; esac

report=$(mktemp)
trap 'rm -f "$report"' EXIT
SOAK_CLIENTS=$clients SOAK_SECONDS=$seconds SOAK_PHASES=$phases SOAK_REPORT=$report \
  dotnet test tests/Tickets.Tests -c "${CONFIGURATION:-Release}" --filter "FullyQualifiedName~Tickets.Tests.Soak" \
  --logger "console;verbosity=minimal"
status=$?
echo
if [ -s "$report" ]; then cat "$report"; else echo "soak: no report (the run did not get that far)"; fi
exit $status
