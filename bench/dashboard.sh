#!/usr/bin/env bash
# Dashboard (数据看板) over a province with N petitions, on SQLite and on a throwaway PostgreSQL; Markdown on stdout.
#   bench/dashboard.sh [petitions=1000000] [requests=50]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}; requests=${2:-50}
dotnet build bench/Xinfang.DashboardBench -c Release -v quiet -nologo -clp:ErrorsOnly
bench() { dotnet bench/Xinfang.DashboardBench/bin/Release/net10.0/Xinfang.DashboardBench.dll --petitions "$n" --requests "$requests" "$@" 2>&1 \
  | grep -vE '^(warn|info):|XML encryptor|^\s+at '; }
bench
source scripts/throwaway-postgres.sh
trap pg_throwaway_stop EXIT
pg_throwaway_start
echo
bench --Database:Provider=postgres "--ConnectionStrings:Xinfang=Host=127.0.0.1;Port=$PG_THROWAWAY_PORT;Username=postgres;Database=xinfang_test;Command Timeout=0"
