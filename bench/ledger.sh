#!/usr/bin/env bash
# Ledger export (台账): N petitions in one county's jurisdiction, exported whole as XLSX and CSV over loopback;
# rows/s, time to first byte and managed-heap growth while streaming. Markdown on stdout.
#   bench/ledger.sh [petitions=100000] [more bench arguments, e.g. --bulk, --Database:Provider=postgres …]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-100000}; shift $(( $# < 1 ? $# : 1 ))
dotnet build bench/Xinfang.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
/usr/bin/env time -v dotnet bench/Xinfang.Bench/bin/Release/net10.0/Xinfang.Bench.dll --petitions "$n" --ledger "$@" 2> >(grep -E "Maximum resident set size" >&2) \
  | grep -vE '^(warn|info):|XML encryptor|^\s+at '
