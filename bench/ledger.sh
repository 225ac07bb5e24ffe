#!/usr/bin/env bash
# Ledger export (台账): N petitions in one county's jurisdiction, exported whole as XLSX and CSV over loopback;
# rows/s, time to first byte and managed-heap growth while streaming, then the process's peak resident set.
#   bench/ledger.sh [petitions=100000] [more bench arguments, e.g. --bulk, --Database:Provider=postgres …]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-100000}; shift $(( $# < 1 ? $# : 1 ))
dotnet build bench/Xinfang.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
times=$(mktemp)
trap 'rm -f "$times"' EXIT
/usr/bin/time -v -o "$times" dotnet bench/Xinfang.Bench/bin/Release/net10.0/Xinfang.Bench.dll --petitions "$n" --ledger "$@" 2>&1 \
  | grep -vE '^(warn|info):|XML encryptor|^\s+at '
grep -E "Maximum resident set size" "$times" | sed 's/^\s*/process /'
