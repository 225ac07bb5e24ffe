#!/usr/bin/env bash
# Runs Xinfang on the embedded SQLite store (./data/xinfang.db) with demo data, on http://127.0.0.1:5080.
# Extra arguments go to the server, e.g. ./run.sh --urls http://0.0.0.0:8080
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Xinfang.Web -c Release -v quiet -nologo -clp:ErrorsOnly
urls=http://127.0.0.1:5080
for a in "$@"; do case "$a" in --urls=*) urls=${a#--urls=};; esac; done
echo "Starting Xinfang at $urls (system administrator: admin / Admin-Pass-2026)"
exec dotnet src/Xinfang.Web/bin/Release/net10.0/Xinfang.dll serve --demo --urls "$urls" \
  --Bootstrap:AdminPassword="${XINFANG_ADMIN_PASSWORD:-Admin-Pass-2026}" "$@"
