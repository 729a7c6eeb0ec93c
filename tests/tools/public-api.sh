#!/usr/bin/env bash
# Rewrites the public API baselines (PublicAPI.Unshipped.txt beside each package's project file) from what the code
# declares today, using Microsoft.CodeAnalysis.PublicApiAnalyzers' own diagnostics:
#   RS0016 "Symbol 'LINE' is not part of the declared public API"        -> LINE is added to PublicAPI.Unshipped.txt
#   RS0017 "Symbol 'LINE' is part of the declared API, but is either not public or could not be found"
#                                                                         -> LINE leaves PublicAPI.Unshipped.txt, or,
#                                                                            if it had shipped, is marked *REMOVED*
# Then it builds again normally, which fails if anything is still undeclared.
#
# A C# package project (every project under core/ and shell/) that has no baseline yet gets one first: empty
# PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt and the analyzer in its paket.references. F# projects have no such
# analyzer and are left alone. The script works on whatever the tree holds, so it is the one command to run after a
# merge that brought new public types.
#
#   tests/tools/public-api.sh            update every package's baseline (builds Tickets.sln twice)
#   tests/tools/public-api.sh --check    only build and report; exit 1 if a baseline is out of date
#   tests/tools/public-api.sh --ship     after a release: move Unshipped into Shipped (no build)
#
# Review the diff of PublicAPI.*.txt before committing it: it is the change to the API that users will see.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=update
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --ship) mode=ship ;;
  *) echo "usage: $0 [--check|--ship]" >&2; exit 2 ;;
esac

header='#nullable enable'

# Keeps the header first, then the lines sorted (ordinal) without duplicates or blank lines.
normalize() {
  local file=$1 body
  body=$(grep -v -x -F -e "$header" -e '' "$file" | LC_ALL=C sort -u || true)
  { echo "$header"; [ -n "$body" ] && printf '%s\n' "$body"; } > "$file.tmp"
  mv "$file.tmp" "$file"
}

if [ "$mode" = ship ]; then
  for shipped in $(git ls-files '*PublicAPI.Shipped.txt'); do
    dir=$(dirname "$shipped"); unshipped="$dir/PublicAPI.Unshipped.txt"
    # *REMOVED*X in Unshipped takes X out of Shipped; everything else moves over.
    grep '^\*REMOVED\*' "$unshipped" | sed 's/^\*REMOVED\*//' > "$dir/.removed" || true
    { grep -v -x -F -f "$dir/.removed" "$shipped" || true; grep -v '^\*REMOVED\*' "$unshipped" || true; } > "$shipped.tmp"
    mv "$shipped.tmp" "$shipped"; rm -f "$dir/.removed"
    echo "$header" > "$unshipped"
    normalize "$shipped"
    echo "public-api: $dir shipped"
  done
  exit 0
fi

# Every C# package has a baseline and the analyzer that checks it (Directory.Build.targets stops the build otherwise).
analyzer='Microsoft.CodeAnalysis.PublicApiAnalyzers copy_local: true'
for project in core/*/*.csproj shell/*/*.csproj; do
  [ -e "$project" ] || continue
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    if [ ! -e "$dir/$file" ]; then
      [ "$mode" = check ] && { echo "public-api: $dir has no $file" >&2; exit 1; }
      echo "$header" > "$dir/$file"; echo "public-api: created $dir/$file"
    fi
  done
  if ! grep -q -i '^Microsoft.CodeAnalysis.PublicApiAnalyzers' "$dir/paket.references" 2>/dev/null; then
    [ "$mode" = check ] && { echo "public-api: $dir/paket.references lacks the analyzer" >&2; exit 1; }
    # A file that does not end in a newline would glue the line onto its last one.
    [ -s "$dir/paket.references" ] && [ -n "$(tail -c 1 "$dir/paket.references")" ] && echo >> "$dir/paket.references"
    echo "$analyzer" >> "$dir/paket.references"; echo "public-api: added the analyzer to $dir/paket.references"
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Warnings stay warnings for this build (so that one project's undeclared API does not stop the projects after it
# from being analysed), and --no-incremental makes every project compile, since only a compilation reports them.
echo "public-api: building Tickets.sln to collect RS0016/RS0017 ..."
dotnet build Tickets.sln -c Release --no-incremental -nologo -clp:NoSummary \
  -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= > "$log" 2>&1 || {
    grep -E ': error ' "$log" | sort -u >&2 || true
    echo "public-api: the build failed for another reason than the API baseline; fix that first" >&2
    exit 1
  }

# path(line,col): warning RS0016: Symbol '...' is not part of the declared public API (...) [/abs/Project.csproj]
added=$(grep -E ': (warning|error) RS0016: ' "$log" \
  | sed -E "s/^.*RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.*)\]\$/\2\t\1/" | sort -u || true)
removed=$(grep -E ': (warning|error) RS0017: ' "$log" \
  | sed -E "s/^.*RS0017: Symbol '(.*)' is part of the declared API, but is either not public or could not be found.*\[(.*)\]\$/\2\t\1/" \
  | sort -u || true)

count() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | wc -l; }
echo "public-api: $(count "$added") undeclared symbols (RS0016), $(count "$removed") declared but gone (RS0017)"

if [ "$mode" = check ]; then
  [ -z "$added$removed" ] && { echo "public-api: baselines are up to date"; exit 0; }
  printf '%s\n' "$added" "$removed" | sed '/^$/d' | sed -E 's#^.*/([^/]+)\.csproj\t#\1: #' >&2
  echo "public-api: out of date; run tests/tools/public-api.sh and review the diff" >&2
  exit 1
fi

root=$(pwd)
while IFS=$'\t' read -r project line; do
  [ -z "$project" ] && continue
  dir=$(dirname "$project"); dir=${dir#"$root"/}
  shipped="$dir/PublicAPI.Shipped.txt"; unshipped="$dir/PublicAPI.Unshipped.txt"
  if grep -q -x -F -- "$line" "$unshipped"; then
    grep -v -x -F -- "$line" "$unshipped" > "$unshipped.tmp" || true; mv "$unshipped.tmp" "$unshipped"
  elif grep -q -x -F -- "$line" "$shipped"; then
    echo "*REMOVED*$line" >> "$unshipped"
  fi
done <<< "$removed"

while IFS=$'\t' read -r project line; do
  [ -z "$project" ] && continue
  dir=$(dirname "$project"); dir=${dir#"$root"/}
  echo "$line" >> "$dir/PublicAPI.Unshipped.txt"
done <<< "$added"

for unshipped in $(git ls-files --cached --others --exclude-standard '*PublicAPI.Unshipped.txt'); do
  normalize "$unshipped"
done

# A member of a type that is new shows up only once its type is declared, and a changed signature may take a second
# round; so build again, normally, and say what is left, if anything.
echo "public-api: checking with a normal build ..."
if dotnet build Tickets.sln -c Release -nologo -clp:NoSummary > "$log" 2>&1; then
  echo "public-api: done; review: git diff -- '*PublicAPI.*.txt'"
else
  grep -E ': error ' "$log" | sort -u | head -20 >&2
  echo "public-api: the normal build still fails; run the script again, or fix the errors above" >&2
  exit 1
fi
