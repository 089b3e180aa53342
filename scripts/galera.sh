#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, for the cluster tests
# (test/integration/galera-lock.test.ts starts and stops it).
#
#   scripts/galera.sh start    # SQL on 127.0.0.1:4306, :4307, :4308 (root, no password)
#   scripts/galera.sh stop
#   scripts/galera.sh status   # exit 0 when all three nodes are synced in one cluster
#
# Each node has its own data folder under ${GALERA_DIR:-/tmp/mortar-galera}, its own
# group-communication (4567x), IST (4568x) and SST (4444x) ports, and runs as the mysql
# user: rsync state transfer drops privileges. Node 1 bootstraps the cluster
# (--wsrep-new-cluster); nodes 2 and 3 join it and receive its data by rsync SST.
set -euo pipefail

DIR=${GALERA_DIR:-/tmp/mortar-galera}
BASE_PORT=${GALERA_BASE_PORT:-4306}
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
RUN_AS=mysql
NODES=(1 2 3)

sql_port() { echo $((BASE_PORT + $1 - 1)); }
gcomm_port() { echo $((45670 + $1 - 1)); }
ist_port() { echo $((45680 + $1 - 1)); }
sst_port() { echo $((44440 + $1 - 1)); }
client() { mariadb --protocol=tcp --host=127.0.0.1 --port="$(sql_port "$1")" --user=root --batch --skip-column-names -e "$2"; }
cluster_address() { local a=""; for n in "${NODES[@]}"; do a="$a${a:+,}127.0.0.1:$(gcomm_port "$n")"; done; echo "gcomm://$a"; }

synced() { # node: answers, is Synced and sees the whole cluster
  local state size
  state=$(client "$1" "show status like 'wsrep_local_state_comment'" 2>/dev/null | cut -f2) || return 1
  size=$(client "$1" "show status like 'wsrep_cluster_size'" 2>/dev/null | cut -f2) || return 1
  [ "$state" = "Synced" ] && [ "$size" -ge "$2" ]
}

wait_synced() { # node, cluster size, seconds
  local tries=$(($3 * 5))
  for _ in $(seq 1 "$tries"); do
    if synced "$1" "$2"; then return 0; fi
    sleep 0.2
  done
  echo "galera.sh: node $1 did not join (see $DIR/node$1/error.log):" >&2
  tail -n 25 "$DIR/node$1/error.log" >&2 || true
  return 1
}

write_config() {
  local n=$1 node="$DIR/node$1"
  mkdir -p "$node/data"
  cat > "$node/my.cnf" <<CNF
[mariadbd]
user=$RUN_AS
datadir=$node/data
socket=$node/mariadbd.sock
pid-file=$node/mariadbd.pid
log-error=$node/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
performance_schema=OFF
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=mortar_test
wsrep_cluster_address=$(cluster_address)
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gcomm_port "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=32M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
CNF
}

start_node() { # node, extra flags…
  local n=$1; shift
  nohup /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" "$@" >>"$DIR/node$n/stdout.log" 2>&1 &
}

start() {
  [ -f "$PROVIDER" ] || { echo "galera.sh: no Galera library at $PROVIDER (Debian package galera-4)" >&2; exit 1; }
  command -v rsync >/dev/null || { echo "galera.sh: rsync is not installed (needed for state transfer)" >&2; exit 1; }
  if synced 1 3 2>/dev/null; then echo "galera.sh: already running"; return 0; fi
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR"
  for n in "${NODES[@]}"; do write_config "$n"; done
  # Only node 1 needs system tables: the joiners receive node 1's data folder by SST.
  mariadb-install-db --defaults-file="$DIR/node1/my.cnf" --auth-root-authentication-method=normal \
    --skip-test-db >"$DIR/node1/install.log" 2>&1 || { cat "$DIR/node1/install.log" >&2; exit 1; }
  chown -R "$RUN_AS:" "$DIR"
  start_node 1 --wsrep-new-cluster
  wait_synced 1 1 20
  # Root over TCP from anywhere on loopback, no password (like the CI's plain MariaDB).
  client 1 "create user if not exists 'root'@'%'; grant all on *.* to 'root'@'%' with grant option;"
  for n in 2 3; do start_node "$n"; done
  for n in 2 3; do wait_synced "$n" 3 25; done
  echo "galera.sh: 3 nodes synced on 127.0.0.1:$(sql_port 1),$(sql_port 2),$(sql_port 3)"
}

stop() {
  for n in 3 2 1; do
    local pidfile="$DIR/node$n/mariadbd.pid"
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for n in 3 2 1; do
    local pidfile="$DIR/node$n/mariadbd.pid"
    for _ in $(seq 1 100); do kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$DIR"
  echo "galera.sh: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) for n in "${NODES[@]}"; do synced "$n" 3 || exit 1; done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
