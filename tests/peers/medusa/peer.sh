#!/usr/bin/env bash
# peer.sh - run a REAL Medusa server (npm packages only, no docker) as a test peer.
#
# usage: peer.sh check                 prerequisites; exit 3 (with the reason) when one is missing
#        peer.sh install               npm packages into the cache dir (skipped when stamped)
#        peer.sh template [--rebuild]  install + role + pristine template DB (migrated, admin user)
#        peer.sh up [--port N] [--owner-pid PID]
#                                      template + fresh session DB + `medusa start`; prints
#                                      KEY=VALUE lines (MEDUSA_URL, MEDUSA_DATABASE, ...) on stdout;
#                                      the session counts as abandoned once --owner-pid (default:
#                                      the caller) has exited, and the next up/gc removes it
#        peer.sh down DATABASE         stop that session's server (PID verified) and drop its DB
#        peer.sh exec DATABASE SCRIPT [ARGS...]
#                                      `medusa exec` against DATABASE, e.g.
#                                      exec DB scripts/bulk-seed-customers.js 10000
#        peer.sh gc [--owner PID]      stop/drop sessions whose owner process is gone
#                                      (or all sessions of PID)
#
# Linux only (uses /proc, setsid, runuser). Exit codes: 0 ok, 1 failure, 2 usage,
# 3 missing prerequisite (tests skip on 3).
# Timings of each step go to stderr, prefixed with [medusa-peer].
#
# Environment (all optional):
#   MERCHANT_DESK_PEER_CACHE         cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/merchant-desk/peers)
#   MERCHANT_DESK_PG_HOST / _PG_PORT PostgreSQL (default 127.0.0.1 / 5432)
#   MERCHANT_DESK_PG_SUPERUSER_URL   superuser connection for role/DB DDL (default: `runuser -u
#                                    postgres psql` as root, `sudo -n -u postgres psql`, or
#                                    `psql -U postgres` on the host)
#   MERCHANT_DESK_PG_START=0         do not try to start a stopped local Debian cluster
#   MERCHANT_DESK_MEDUSA_JWT_SECRET / _COOKIE_SECRET
#                                    server secrets (default: random per start, never stored)
#   MERCHANT_DESK_MEDUSA_STARTUP_TIMEOUT  seconds to wait for /health (default 120)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEER_CACHE="${MERCHANT_DESK_PEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/merchant-desk/peers}"
PGH="${MERCHANT_DESK_PG_HOST:-127.0.0.1}"
PGP="${MERCHANT_DESK_PG_PORT:-5432}"
HOST=127.0.0.1
STARTUP_TIMEOUT="${MERCHANT_DESK_MEDUSA_STARTUP_TIMEOUT:-120}"
# Test constants (the fixture hands them to the tests; they protect nothing).
ADMIN_EMAIL="admin@example.com"
ADMIN_PASSWORD="supersecret"
DB_ROLE="merchant_desk_peer"
DB_ROLE_PASSWORD="merchant_desk_peer"
SESSION_PREFIX="md_medusa_s_"

log() { printf '[medusa-peer] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
missing() { log "MISSING: $*"; exit 3; }
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
# Print the last lines of a log to stderr, so a failing fixture shows why.
tail_log() { log "---- last lines of $1"; tail -n "${2:-40}" "$1" >&2 || true; log "----"; }

# ------------------------------------------------------------------ paths
medusa_version() {
  sed -n 's/^ *"@medusajs\/medusa": *"\([^"]*\)".*/\1/p' "$HERE/package.json" | head -n1
}
MEDUSA_VERSION="$(medusa_version)"
[ -n "$MEDUSA_VERSION" ] || die "cannot read the @medusajs/medusa pin from $HERE/package.json"
DIR="$PEER_CACHE/medusa-$MEDUSA_VERSION"
LOG_DIR="$DIR/logs"
RUN_DIR="$DIR/run"
CLI="$DIR/node_modules/@medusajs/cli/cli.js"
TPL_DB="md_medusa_${MEDUSA_VERSION//[^0-9a-zA-Z]/_}_tpl"

db_url() { printf 'postgres://%s:%s@%s:%s/%s' "$DB_ROLE" "$DB_ROLE_PASSWORD" "$PGH" "$PGP" "$1"; }
valid_db_name() { case "$1" in "$SESSION_PREFIX"*) ;; *) return 1;; esac; case "$1" in *[!a-z0-9_]*) return 1;; esac; }

# ------------------------------------------------------------------ prerequisites
node_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);
    process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)' 2>/dev/null
}

su_psql() {
  if [ -n "${MERCHANT_DESK_PG_SUPERUSER_URL:-}" ]; then
    psql "$MERCHANT_DESK_PG_SUPERUSER_URL" "$@"
  elif [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    # cd /: postgres may not be allowed to read the caller's cwd.
    (cd / && runuser -u postgres -- psql -h "$PGH" -p "$PGP" -d postgres "$@")
  elif command -v sudo >/dev/null && sudo -n -u postgres true 2>/dev/null; then
    (cd / && sudo -n -u postgres psql -h "$PGH" -p "$PGP" -d postgres "$@")
  else
    psql -h "$PGH" -p "$PGP" -U postgres -d postgres "$@"
  fi
}
# client_min_messages: keep "does not exist, skipping" NOTICEs of IF EXISTS out of the output.
sql() { PGOPTIONS="-c client_min_messages=warning" su_psql -v ON_ERROR_STOP=1 -qAt -c "$1"; }

pg_ready() { pg_isready -q -h "$PGH" -p "$PGP" 2>/dev/null; }

cmd_check() {
  command -v node >/dev/null || missing "node not found (Medusa $MEDUSA_VERSION needs node ^20.19 or >=22.12)"
  node_ok || missing "node $(node -v) is too old (Medusa $MEDUSA_VERSION needs ^20.19 or >=22.12)"
  command -v npm >/dev/null || missing "npm not found"
  command -v psql >/dev/null || missing "psql not found (PostgreSQL client, e.g. apt-get install postgresql)"
  command -v pg_isready >/dev/null || missing "pg_isready not found (PostgreSQL client tools)"
  if ! pg_ready && [ "${MERCHANT_DESK_PG_START:-1}" != 0 ] && [ "$(id -u)" = 0 ] \
     && { [ "$PGH" = 127.0.0.1 ] || [ "$PGH" = localhost ]; } && command -v pg_lsclusters >/dev/null; then
    # Only a Debian cluster configured for this very port and currently down (e.g. after a reboot).
    local ver name t
    read -r ver name < <(pg_lsclusters -h | awk -v p="$PGP" '$3 == p && $4 == "down" {print $1, $2; exit}') || true
    if [ -n "${ver:-}" ]; then
      t=$(now)
      log "PostgreSQL cluster $ver/$name is down; starting it"
      pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 || true
      for _ in $(seq 1 30); do pg_ready && break; sleep 0.5; done
      pg_ready && log "PostgreSQL started in $(since "$t") s"
    fi
  fi
  pg_ready || missing "PostgreSQL not reachable at $PGH:$PGP"
  [ "$(sql 'select 1' 2>/dev/null)" = 1 ] \
    || missing "no PostgreSQL superuser access at $PGH:$PGP (set MERCHANT_DESK_PG_SUPERUSER_URL)"
}

# Serialise install/template work between concurrent test sessions.
with_lock() {
  mkdir -p "$DIR"
  if command -v flock >/dev/null; then
    exec 9>"$DIR/.lock"
    local t; t=$(now)
    flock -w 1800 9 || die "timed out waiting for $DIR/.lock"
    [ "$(since "$t")" = "0.0" ] || log "waited $(since "$t") s for another session's setup"
  fi
}

# ------------------------------------------------------------------ install
copy_if_changed() { cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"; }

sync_project_files() {
  mkdir -p "$DIR/src/subscribers" "$DIR/scripts" "$LOG_DIR" "$RUN_DIR"
  local f
  for f in package.json package-lock.json medusa-config.ts tsconfig.json; do
    copy_if_changed "$HERE/$f" "$DIR/$f"
  done
  for f in "$HERE"/src/subscribers/*.js; do copy_if_changed "$f" "$DIR/src/subscribers/$(basename "$f")"; done
  for f in "$HERE"/scripts/*.js; do copy_if_changed "$f" "$DIR/scripts/$(basename "$f")"; done
}

cmd_install() {
  sync_project_files
  local stamp t
  stamp="$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-16) node-$(node -v)"
  if [ -f "$CLI" ] && [ "$(cat "$DIR/node_modules/.merchant-desk-stamp" 2>/dev/null)" = "$stamp" ]; then
    log "npm packages up to date in $DIR"
    return
  fi
  t=$(now)
  log "npm install into $DIR (~1 min, ~720 MB; log: $LOG_DIR/npm-install.log) ..."
  # `npm install`, not `npm ci`: the lock lists only this platform's optional packages
  # (@swc/core-*, @rollup/rollup-*), which `npm ci` rejects; `npm install` keeps the locked versions.
  # The repo's lock is copied over each time because npm rewrites the one in the cache dir.
  cp "$HERE/package-lock.json" "$DIR/package-lock.json"
  if ! (cd "$DIR" && npm install --no-audit --no-fund --loglevel=error) >"$LOG_DIR/npm-install.log" 2>&1; then
    tail_log "$LOG_DIR/npm-install.log" 30
    die "npm install failed (log: $LOG_DIR/npm-install.log)"
  fi
  printf '%s\n' "$stamp" >"$DIR/node_modules/.merchant-desk-stamp"
  log "npm install: $(since "$t") s"
}

# ------------------------------------------------------------------ environment for medusa commands
random_secret() { node -p 'require("crypto").randomBytes(32).toString("hex")'; }

medusa_env() {  # $1 = database name
  export DATABASE_URL; DATABASE_URL="$(db_url "$1")"
  export MEDUSA_DISABLE_TELEMETRY=true
  # Random per process unless given: tokens only need to survive one server lifetime.
  export JWT_SECRET="${MERCHANT_DESK_MEDUSA_JWT_SECRET:-$(random_secret)}"
  export COOKIE_SECRET="${MERCHANT_DESK_MEDUSA_COOKIE_SECRET:-$(random_secret)}"
}

medusa() { (cd "$DIR" && node "$CLI" "$@"); }

# ------------------------------------------------------------------ template database
template_stamp() {
  local cfg pw
  cfg="$(cat "$HERE/medusa-config.ts" "$HERE/package-lock.json" | sha256sum | cut -c1-16)"
  pw="$(printf '%s' "$ADMIN_PASSWORD" | sha256sum | cut -c1-16)"
  printf 'merchant-desk medusa peer template v1; medusa %s; cfg %s; admin %s %s' \
    "$MEDUSA_VERSION" "$cfg" "$ADMIN_EMAIL" "$pw"
}

drop_db() {  # also works for a database flagged as template
  sql "update pg_database set datistemplate = false where datname = '$1'" >/dev/null
  sql "drop database if exists \"$1\" with (force)" >/dev/null
}

ensure_role() {
  su_psql -v ON_ERROR_STOP=1 -qAt >/dev/null <<SQL || die "could not create role $DB_ROLE"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_ROLE') THEN
    CREATE ROLE "$DB_ROLE" LOGIN PASSWORD '$DB_ROLE_PASSWORD';
  END IF;
END \$\$;
SQL
}

cmd_template() {
  local rebuild=0
  [ "${1:-}" = "--rebuild" ] && rebuild=1
  cmd_check
  with_lock
  cmd_install
  ensure_role
  local stamp current build t t0
  stamp="$(template_stamp)"
  current="$(sql "select shobj_description(oid, 'pg_database') from pg_database where datname = '$TPL_DB'")"
  if [ "$rebuild" = 0 ] && [ "$current" = "$stamp" ]; then
    log "template database $TPL_DB up to date"
    return
  fi
  t0=$(now)
  log "building template database $TPL_DB (migrate + admin user, ~15 s) ..."
  # Built under another name and renamed at the end, so an interrupted build never looks valid.
  build="${TPL_DB}_build"
  drop_db "$build"
  sql "create database \"$build\" owner \"$DB_ROLE\"" >/dev/null
  medusa_env "$build"
  t=$(now)
  if ! medusa db:migrate >"$LOG_DIR/template-migrate.log" 2>&1; then
    tail_log "$LOG_DIR/template-migrate.log"; die "medusa db:migrate failed"
  fi
  log "db:migrate: $(since "$t") s"
  t=$(now)
  # Also creates the "Default Publishable API Key" (first app load), which the template keeps.
  if ! medusa user -e "$ADMIN_EMAIL" -p "$ADMIN_PASSWORD" >"$LOG_DIR/template-user.log" 2>&1; then
    tail_log "$LOG_DIR/template-user.log"; die "medusa user failed"
  fi
  log "medusa user: $(since "$t") s"
  drop_db "$TPL_DB"
  sql "alter database \"$build\" rename to \"$TPL_DB\"" >/dev/null
  # is_template: clones allowed, and DROP refuses it until the flag is cleared.
  sql "alter database \"$TPL_DB\" is_template true" >/dev/null
  sql "comment on database \"$TPL_DB\" is '$stamp'" >/dev/null
  log "template database $TPL_DB built in $(since "$t0") s"
}

# ------------------------------------------------------------------ session server
pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# True when PID is a `medusa start` running from our cache dir (guards against PID reuse).
is_our_server() {
  local pid="$1" cmd cwd
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
  case "$cmd" in *"@medusajs/cli/cli.js start "*) ;; *) return 1;; esac
  [ "$cwd" = "$DIR" ]
}

free_port() {
  node -e 'const s=require("net").createServer();
    s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'
}

# Waits for /health, logs in as the admin and prints the first unrevoked publishable key.
# Exit codes: 2 server process gone, 4 timeout, 5 login/key lookup failed.
wait_and_verify() {
  ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$ADMIN_PASSWORD" node -e '
    const [base, pid, timeoutS] = process.argv.slice(1);
    const deadline = Date.now() + Number(timeoutS) * 1000;
    const alive = () => { try { process.kill(Number(pid), 0); return true } catch { return false } };
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    (async () => {
      for (;;) {
        if (!alive()) { console.error("server process exited"); process.exit(2) }
        if (Date.now() > deadline) { console.error("no /health 200 after " + timeoutS + " s"); process.exit(4) }
        try { if ((await fetch(base + "/health")).status === 200) break } catch {}
        await sleep(200);
      }
      const login = await fetch(base + "/auth/user/emailpass", { method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD }) });
      if (login.status !== 200) { console.error("admin login: HTTP " + login.status + " " + await login.text()); process.exit(5) }
      const { token } = await login.json();
      const r = await fetch(base + "/admin/api-keys?type=publishable&fields=token,revoked_at&limit=100",
        { headers: { authorization: "Bearer " + token } });
      if (r.status !== 200) { console.error("api-keys: HTTP " + r.status); process.exit(5) }
      const key = ((await r.json()).api_keys || []).find((k) => !k.revoked_at);
      if (!key) { console.error("no publishable API key in the database"); process.exit(5) }
      process.stdout.write(key.token);
    })().catch((e) => { console.error(String(e)); process.exit(5) });
  ' "$@"
}

cmd_up() {
  local port="" owner="$PPID"
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2;;
      --owner-pid) owner="$2"; shift 2;;
      *) log "unknown option $1"; exit 2;;
    esac
  done
  case "$owner" in ''|*[!0-9]*) die "--owner-pid must be a number";; esac
  local t_all; t_all=$(now)
  cmd_template
  # Install/template done: release the lock so parallel sessions can start their servers.
  exec 9>&-
  cmd_gc

  # The owner PID in the name lets `gc` tell leftovers of dead sessions from live ones.
  local db t suffix
  suffix="$(node -p 'require("crypto").randomBytes(4).toString("hex")')"
  db="${SESSION_PREFIX}${owner}_${suffix}"
  t=$(now)
  sql "create database \"$db\" template \"$TPL_DB\" owner \"$DB_ROLE\"" >/dev/null \
    || die "could not create $db from template $TPL_DB"
  log "fresh database $db from template: $(since "$t") s"

  [ -n "$port" ] || port="$(free_port)"
  case "$port" in ''|*[!0-9]*) die "bad port '$port'";; esac
  local server_log="$LOG_DIR/server-$db.log" pid
  medusa_env "$db"
  t=$(now)
  log "medusa start -H $HOST -p $port (log: $server_log)"
  # setsid: Ctrl-C in the test terminal must not kill the server before the fixture stops it
  # cleanly. `exec` keeps $! equal to the node PID. The sed filter redacts JWTs (the local
  # notification provider logs notification data, i.e. password-reset tokens) before disk.
  # No fd of ours may leak into the server or sed: the caller reads our stdout/stderr to EOF.
  cd "$DIR"
  NODE_ENV=production setsid bash -c '
    exec node "$1" start -H "$2" -p "$3" \
      > >(exec sed -u -E "s/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/<jwt redacted>/g" >>"$4") 2>&1
  ' medusa-peer "$CLI" "$HOST" "$port" "$server_log" </dev/null >/dev/null 2>&1 &
  pid=$!
  cd - >/dev/null
  printf '%s\n' "$pid" >"$(pid_file "$db")"

  local key rc=0
  key="$(wait_and_verify "http://$HOST:$port" "$pid" "$STARTUP_TIMEOUT")" || rc=$?
  if [ "$rc" != 0 ]; then
    tail_log "$server_log"
    cmd_down "$db" || true
    die "medusa server on port $port did not come up (code $rc; log: $server_log)"
  fi
  log "medusa start to /health 200 + admin login: $(since "$t") s (pid $pid)"
  log "up: $(since "$t_all") s in total"
  printf 'MEDUSA_URL=http://%s:%s\n' "$HOST" "$port"
  printf 'MEDUSA_DATABASE=%s\n' "$db"
  printf 'MEDUSA_PID=%s\n' "$pid"
  printf 'MEDUSA_ADMIN_EMAIL=%s\n' "$ADMIN_EMAIL"
  printf 'MEDUSA_ADMIN_PASSWORD=%s\n' "$ADMIN_PASSWORD"
  printf 'MEDUSA_PUBLISHABLE_KEY=%s\n' "$key"
  printf 'MEDUSA_LOG=%s\n' "$server_log"
}

stop_server() {  # $1 = database name
  local pf pid t
  pf="$(pid_file "$1")"
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf")"
  if is_our_server "$pid"; then
    t=$(now)
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored TERM for 10 s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped medusa pid $pid: $(since "$t") s"
  else
    log "pid $pid of $1 is not running our medusa server; not killing it"
  fi
  rm -f "$pf"
}

cmd_down() {
  local db="${1:-}" t
  valid_db_name "$db" || { log "usage: peer.sh down ${SESSION_PREFIX}..."; exit 2; }
  stop_server "$db"
  t=$(now)
  drop_db "$db"
  log "dropped database $db: $(since "$t") s"
}

cmd_exec() {
  local db="${1:-}"
  # Session databases only: a script run against the template would leak into every session.
  valid_db_name "$db" || { log "usage: peer.sh exec ${SESSION_PREFIX}... SCRIPT [ARGS...]"; exit 2; }
  shift
  [ $# -ge 1 ] || { log "usage: peer.sh exec DATABASE SCRIPT [ARGS...]"; exit 2; }
  [ -f "$CLI" ] || die "not installed: run peer.sh install first"
  sync_project_files
  local script="$1"; shift
  medusa_env "$db"
  local t; t=$(now)
  NODE_ENV=production medusa exec "./$script" "$@"
  log "medusa exec $script: $(since "$t") s"
}

# Leftovers of sessions killed without teardown (kill -9, crash): the owner PID is in the name.
# `gc --owner PID` removes that owner's sessions even though it is alive (interrupted `up`).
cmd_gc() {
  local db owner only=""
  if [ "${1:-}" = "--owner" ]; then
    only="${2:-}"
    case "$only" in ''|*[!0-9]*) log "usage: peer.sh gc [--owner PID]"; exit 2;; esac
  fi
  for db in $(sql "select datname from pg_database where datname like '${SESSION_PREFIX}%'"); do
    owner="${db#"$SESSION_PREFIX"}"; owner="${owner%%_*}"
    case "$owner" in ''|*[!0-9]*) continue;; esac
    if [ -n "$only" ]; then
      [ "$owner" = "$only" ] || continue
    # /proc instead of kill -0: kill -0 fails with EPERM for other users' live processes.
    elif [ -d "/proc/$owner" ]; then
      continue
    fi
    log "gc: removing $db (owner $owner)"
    cmd_down "$db" || true
  done
  find "$LOG_DIR" -name "server-${SESSION_PREFIX}*.log" -mtime +7 -delete 2>/dev/null || true
}

sub="${1:-}"; [ $# -gt 0 ] && shift
case "$sub" in
  check) cmd_check; log "prerequisites ok (medusa $MEDUSA_VERSION, node $(node -v), cache $DIR)";;
  install) cmd_check; with_lock; cmd_install;;
  template) cmd_template "$@";;
  up) cmd_up "$@";;
  down) cmd_check; cmd_down "$@";;
  exec) cmd_exec "$@";;
  gc) cmd_check; mkdir -p "$LOG_DIR" "$RUN_DIR"; cmd_gc "$@";;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2;;
esac
