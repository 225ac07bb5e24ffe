#!/usr/bin/env bash
# Runs the benchmark on SQLite and on a throwaway PostgreSQL; results in Markdown on stdout.
#   bench/run.sh [petitions=100000] [due=1000] [more bench arguments, e.g. --bulk --requests 100]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-100000}; due=${2:-1000}; shift $(( $# < 2 ? $# : 2 )); extra=("$@")
dotnet build bench/Xinfang.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
bench() { dotnet bench/Xinfang.Bench/bin/Release/net10.0/Xinfang.Bench.dll --petitions "$n" --due "$due" ${extra[@]+"${extra[@]}"} "$@" 2>&1 \
  | grep -vE '^(warn|info):|XML encryptor|^\s+at '; }
bench
source scripts/throwaway-postgres.sh
trap pg_throwaway_stop EXIT
pg_throwaway_start
echo
bench --Database:Provider=postgres "--ConnectionStrings:Xinfang=Host=127.0.0.1;Port=$PG_THROWAWAY_PORT;Username=postgres;Database=xinfang_test"
