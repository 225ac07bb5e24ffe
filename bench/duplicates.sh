#!/usr/bin/env bash
# Near-duplicate lookup: band keys vs pg_trgm vs brute force on a throwaway PostgreSQL; Markdown on stdout.
#   bench/duplicates.sh [sizes=100000] [more arguments, e.g. --queries 500 --trgm-queries 100]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=${1:-100000}; shift $(( $# < 1 ? $# : 1 ))
dotnet build bench/Xinfang.DuplicateBench -c Release -v quiet -nologo -clp:ErrorsOnly
source scripts/throwaway-postgres.sh
trap pg_throwaway_stop EXIT
pg_throwaway_start
dotnet bench/Xinfang.DuplicateBench/bin/Release/net10.0/Xinfang.DuplicateBench.dll --sizes "$sizes" \
  --pg "Host=127.0.0.1;Port=$PG_THROWAWAY_PORT;Username=postgres;Database=xinfang_test;Command Timeout=0" "$@"
