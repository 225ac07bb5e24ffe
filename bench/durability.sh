#!/usr/bin/env bash
# Nothing lost: the SIGKILL durability test (tests/Xinfang.Web.Tests/Reliability/DurabilityTests.cs) with more
# kill rounds, on SQLite (WAL) and on a throwaway PostgreSQL 15; prints one line of figures per store.
#   bench/durability.sh [rounds=20]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-20}
report=$(mktemp /tmp/xinfang-durability.XXXXXX)
trap 'rm -f "$report"' EXIT
export XINFANG_DURABILITY_ROUNDS=$rounds XINFANG_DURABILITY_REPORT=$report
# test.sh builds everything, starts the throwaway PostgreSQL server and stops it afterwards.
./test.sh --filter "FullyQualifiedName~Reliability.DurabilityTests" >&2
echo "Durability, $rounds SIGKILL rounds per store ($(date -u +%F), $(nproc) cores):"
cat "$report"
