#!/usr/bin/env bash
#
# Runs the whole test suite: ./test.sh [extra dotnet test args, e.g. --filter X]
#
# Unless XINFANG_TEST_PG is already set, a throwaway PostgreSQL server is started
# on 127.0.0.1 (see scripts/throwaway-postgres.sh) and removed on exit.
# Browser tests (tests/Xinfang.Browser.Tests) need Debian's Chromium at /usr/bin/chromium and a CJK
# font; when either is missing they are installed with apt-get (as root, or through sudo). Playwright
# never downloads a browser here.
# TRX results go to ./TestResults; the last line printed is
# "N passed, N failed, N skipped". Exits non-zero if dotnet test failed or if no
# test passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}
export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1}
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}

# shellcheck source=scripts/throwaway-postgres.sh
source "$ROOT/scripts/throwaway-postgres.sh"

cleanup() {
  local rc=$?
  pg_throwaway_stop || true
  exit "$rc"
}
# dotnet test runs in the background and is waited for, so that a signal sent to
# this script is handled at once: stop dotnet test (and thus its test hosts),
# then the EXIT trap stops PostgreSQL.
DOTNET_PID=""
on_signal() {
  local code=$1 i
  trap - INT TERM
  if [[ -n "$DOTNET_PID" ]] && kill -0 "$DOTNET_PID" 2>/dev/null; then
    kill -TERM "$DOTNET_PID" 2>/dev/null || true
    for i in $(seq 1 20); do kill -0 "$DOTNET_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$DOTNET_PID" 2>/dev/null || true
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# Sums <Counters .../> of every .trx under $1; prints "N passed, N failed, N skipped".
# Skipped tests count in "total" but not in "executed".
trx_summary() {
  { find "$1" -type f -name '*.trx' -print0 2>/dev/null \
      | xargs -0 -r grep -ho '<Counters [^>]*>' || true; } \
    | awk '
      function attr(s, name,   m) {
        if (match(s, " " name "=\"[0-9]+\"")) { m = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 }
        return 0
      }
      {
        total += attr($0, "total"); executed += attr($0, "executed"); passed += attr($0, "passed")
        failed += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
      }
      END { printf "%d passed, %d failed, %d skipped\n", passed, failed, total - executed }'
}

# Installs chromium (if /usr/bin/chromium is missing) and fonts-noto-cjk (if not installed) for the
# browser tests. Without them those tests fail with a message saying so; they never pass silently.
ensure_chromium() {
  local missing=() as_root=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || missing+=(fonts-noto-cjk)
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "Browser tests: /usr/bin/chromium and fonts-noto-cjk are installed." >&2
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      as_root=(sudo)
    else
      echo "Browser tests: ${missing[*]} missing, and neither root nor sudo to install them; browser tests will fail." >&2
      return 0
    fi
  fi
  echo "Browser tests: installing ${missing[*]} with apt-get (about 30 s, 600 MB)..." >&2
  # Wait for another apt/dpkg run to finish rather than failing on its lock.
  local apt_opts=(-o DPkg::Lock::Timeout=600)
  if "${as_root[@]}" apt-get "${apt_opts[@]}" update -qq \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq "${missing[@]}" >/dev/null; then
    echo "Browser tests: installed ${missing[*]} ($(/usr/bin/chromium --version 2>/dev/null || echo 'chromium version unknown'))." >&2
  else
    echo "Browser tests: apt-get could not install ${missing[*]}; browser tests will fail." >&2
  fi
}
ensure_chromium

if [[ -n "${XINFANG_TEST_PG:-}" ]]; then
  echo "Using PostgreSQL from XINFANG_TEST_PG (no throwaway server started)." >&2
else
  pg_throwaway_start
  export XINFANG_TEST_PG="Host=127.0.0.1;Port=${PG_THROWAWAY_PORT};Username=postgres;Database=xinfang_test;Pooling=true;Include Error Detail=true"
fi

RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

set +e
dotnet test Xinfang.slnx -c Release \
  --logger "console;verbosity=normal" \
  --logger trx \
  --results-directory "$RESULTS" \
  "$@" &
DOTNET_PID=$!
wait "$DOTNET_PID"
rc=$?
DOTNET_PID=""
set -e

summary=$(trx_summary "$RESULTS")
passed=${summary%% passed*}

if [[ $rc -ne 0 ]]; then
  echo "dotnet test failed (exit code $rc)." >&2
elif [[ $passed -eq 0 ]]; then
  echo "No test passed." >&2
  rc=1
fi
echo "$summary"
exit "$rc"
