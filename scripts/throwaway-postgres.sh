# shellcheck shell=bash
#
# Throwaway PostgreSQL server for the test suite. Sourced by ../test.sh.
#
#   pg_throwaway_start   initdb + start a private server on 127.0.0.1 and create
#                        the database "xinfang_test". Sets PG_THROWAWAY_PORT,
#                        PG_THROWAWAY_DIR and PG_THROWAWAY_BIN.
#   pg_throwaway_stop    stop the server and delete its directory (idempotent).
#
# Optional environment: PG_BIN (directory holding initdb/pg_ctl/postgres),
# PG_THROWAWAY_PORT_BASE (first port probed, default 55432), PG_THROWAWAY_CONF (lines
# appended to postgresql.conf, e.g. "shared_buffers = 2GB" for a benchmark).
#
# Everything (data, unix socket, log) lives in one mktemp directory under /tmp
# (kept short: unix socket paths are limited to ~107 bytes).

PG_THROWAWAY_DIR=""
PG_THROWAWAY_PORT=""
PG_THROWAWAY_BIN=""

_pgt_log() { echo "[throwaway-postgres] $*" >&2; }

# Prints the directory containing initdb, pg_ctl and postgres.
_pgt_find_bin() {
  local d
  if [[ -n "${PG_BIN:-}" && -x "${PG_BIN}/initdb" ]]; then echo "$PG_BIN"; return 0; fi
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return 0; fi
  if command -v dpkg >/dev/null 2>&1; then
    d=$(dpkg -L postgresql-15 2>/dev/null | grep '/bin/initdb$' | head -n1 || true)
    if [[ -n "$d" && -x "$d" ]]; then dirname "$d"; return 0; fi
  fi
  # Any other Debian-style major version, newest first.
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  d=$(command -v initdb 2>/dev/null || true)
  if [[ -n "$d" ]]; then dirname "$d"; return 0; fi
  return 1
}

_pgt_install() {
  local sudo=()
  if ! command -v apt-get >/dev/null 2>&1; then
    _pgt_log "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL 15 or set PG_BIN"
    return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      _pgt_log "PostgreSQL server binaries not found; run as root or install postgresql-15"
      return 1
    fi
  fi
  _pgt_log "installing PostgreSQL 15 via apt-get"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  # On Debian 12 pg_trgm ships inside postgresql-15 itself; elsewhere it may need
  # postgresql-contrib. If the contrib package does not exist, fall back.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 postgresql-contrib \
    || "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15
}

# Runs a command as the owner of the cluster: "postgres" when we are root
# (initdb/postgres refuse to run as root), ourselves otherwise.
_pgt_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

# Succeeds when something already accepts connections on 127.0.0.1:$1.
_pgt_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1
}

pg_throwaway_start() {
  local bin dir port attempt psql started=0

  bin=$(_pgt_find_bin) || { _pgt_install && bin=$(_pgt_find_bin); } || {
    _pgt_log "could not locate initdb after installation"; return 1; }
  PG_THROWAWAY_BIN=$bin

  if [[ $(id -u) -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    _pgt_log "creating system user postgres"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi

  dir=$(mktemp -d /tmp/xinfang-pg.XXXXXX)
  PG_THROWAWAY_DIR=$dir
  mkdir -p "$dir/data" "$dir/sock"
  chmod 700 "$dir/data"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi

  # cd into the temp dir so the postgres user never needs access to our cwd.
  if ! (cd "$dir" && _pgt_as_owner "$bin/initdb" -D "$dir/data" -E UTF8 --locale=C.UTF-8 \
          -A trust -U postgres >"$dir/initdb.log" 2>&1); then
    _pgt_log "initdb failed:"; cat "$dir/initdb.log" >&2
    return 1
  fi

  cat >>"$dir/data/postgresql.conf" <<CONF

# --- throwaway test server ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
max_connections = 300
${PG_THROWAWAY_CONF:-}
CONF

  port=${PG_THROWAWAY_PORT_BASE:-55432}
  for attempt in $(seq 1 30); do
    if _pgt_port_busy "$port"; then port=$((port + 1)); continue; fi
    if (cd "$dir" && _pgt_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
          -o "-p $port" -w -t 60 start >/dev/null 2>&1); then
      started=1; break
    fi
    # Lost a race for the port: try the next one; anything else is fatal.
    if grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets' "$dir/postgres.log" 2>/dev/null; then
      port=$((port + 1)); continue
    fi
    break
  done
  if [[ $started -ne 1 ]]; then
    _pgt_log "could not start PostgreSQL (last port tried: $port); server log:"
    cat "$dir/postgres.log" >&2 2>/dev/null || true
    return 1
  fi
  PG_THROWAWAY_PORT=$port

  psql="$bin/psql"
  [[ -x "$psql" ]] || psql=$(command -v psql)
  PGCONNECT_TIMEOUT=10 "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c 'CREATE DATABASE xinfang_test' >/dev/null
  _pgt_log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (dir $dir)"
}

pg_throwaway_stop() {
  local dir=${PG_THROWAWAY_DIR:-} bin=${PG_THROWAWAY_BIN:-} pid
  [[ -n "$dir" && -d "$dir" ]] || return 0
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    if ! (cd "$dir" && _pgt_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1); then
      pid=$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
    fi
  fi
  rm -rf "$dir"
  PG_THROWAWAY_DIR=""
}
