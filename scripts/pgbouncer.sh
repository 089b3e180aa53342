#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of the local PostgreSQL, for the
# cluster tests (test/integration/pgbouncer-lock.test.ts starts and stops it).
#
#   scripts/pgbouncer.sh start   # listens on 127.0.0.1:${PGBOUNCER_PORT:-6432}
#   scripts/pgbouncer.sh stop
#   scripts/pgbouncer.sh status  # exit 0 when it answers
#
# Any database name is passed through to PostgreSQL at 127.0.0.1:5432 (so the tests'
# throw-away databases work), users are trusted (the local server trusts them too),
# and the pool is small (3 server connections per database and user) so concurrent
# runs really share backends. Runs as the postgres user; its files live in
# ${PGBOUNCER_DIR:-/tmp/mortar-pgbouncer}.
set -euo pipefail

PORT=${PGBOUNCER_PORT:-6432}
DIR=${PGBOUNCER_DIR:-/tmp/mortar-pgbouncer}
PG_HOST=${PGBOUNCER_UPSTREAM_HOST:-127.0.0.1}
PG_PORT=${PGBOUNCER_UPSTREAM_PORT:-5432}
RUN_AS=${PGBOUNCER_USER:-postgres}

as_user() { if [ "$(id -un)" = "$RUN_AS" ]; then "$@"; else runuser -u "$RUN_AS" -- "$@"; fi; }
answers() { pg_isready -h 127.0.0.1 -p "$PORT" -q -t 1 >/dev/null 2>&1; }
ours() { [ -f "$DIR/pgbouncer.pid" ] && kill -0 "$(cat "$DIR/pgbouncer.pid" 2>/dev/null)" 2>/dev/null && answers; }

start() {
  command -v pgbouncer >/dev/null || { echo "pgbouncer.sh: pgbouncer is not installed (apt-get install -y pgbouncer)" >&2; exit 1; }
  if ours; then echo "pgbouncer.sh: already running on 127.0.0.1:$PORT"; return 0; fi
  if answers; then
    echo "pgbouncer.sh: something else answers on 127.0.0.1:$PORT (a system pgbouncer? stop it, or set PGBOUNCER_PORT)" >&2
    exit 1
  fi
  mkdir -p "$DIR"
  cat > "$DIR/userlist.txt" <<USERS
"root" ""
"postgres" ""
USERS
  cat > "$DIR/pgbouncer.ini" <<INI
[databases]
* = host=$PG_HOST port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
server_lifetime = 3600
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  chown -R "$RUN_AS" "$DIR" 2>/dev/null || true
  as_user pgbouncer -d "$DIR/pgbouncer.ini"
  for _ in $(seq 1 50); do
    if answers; then echo "pgbouncer.sh: up on 127.0.0.1:$PORT (transaction pooling)"; return 0; fi
    sleep 0.1
  done
  echo "pgbouncer.sh: did not come up; log:" >&2
  tail -n 20 "$DIR/pgbouncer.log" >&2 || true
  exit 1
}

stop() {
  if [ -f "$DIR/pgbouncer.pid" ]; then
    local pid
    pid=$(cat "$DIR/pgbouncer.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
  echo "pgbouncer.sh: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) ours ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
