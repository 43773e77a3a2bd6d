#!/usr/bin/env bash
# Runs a local cluster (docs/scaling.md): a PostgreSQL instance with its own data directory in a temporary folder
# (Debian's postgresql package), N server replicas on free loopback ports sharing it as their adapter store, and
# nginx (Debian's nginx package) on port P in front of them. The admin key comes from Admin__ApiKey.
#
#   scripts/cluster.sh up --replicas N --port P   start everything; prints "replica URL" per replica, "balancer URL"
#   scripts/cluster.sh down                       stop everything up started and remove its folder
#   scripts/cluster.sh kill-replica I             SIGKILL replica I (from 0), as a crash would
#   scripts/cluster.sh start-replica I            start replica I again on its port, with its cache, and wait until ready
#   scripts/cluster.sh restart-postgres           restart PostgreSQL (fast shutdown: open connections are cut)
#   scripts/cluster.sh stop-postgres | start-postgres   take PostgreSQL away and bring it back
#
# The cluster's folder is $SPEECHSERVE_CLUSTER_DIR (default ${TMPDIR:-/tmp}/speechserve-cluster-$UID), so several
# clusters can run side by side. Needs a build of the server (dotnet build src/Serving; SPEECHSERVE_CONFIGURATION
# picks Debug, the default, or Release).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${SPEECHSERVE_CLUSTER_DIR:-${TMPDIR:-/tmp}/speechserve-cluster-$(id -u)}
server_dll="$root/src/Serving/bin/${SPEECHSERVE_CONFIGURATION:-Debug}/net10.0/SpeechServe.Serving.dll"

fail() { echo "cluster: $*" >&2; exit 1; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$bin" ]] || fail "PostgreSQL is not installed; run scripts/setup.sh"
  echo "$bin"
}

# PostgreSQL refuses to run as root; root runs it as the package's postgres user.
as_db_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Whether the process runs: a killed replica whose parent (the shell that started it, long gone) left no one to
# reap it stays a zombie, which kill -0 still finds.
alive() {
  [[ -r /proc/$1/stat ]] && [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

pg_ctl() { # start | stop | restart
  as_db_owner "$(pg_bin)/pg_ctl" -D "$state/postgres/data" -l "$state/postgres/log" -m fast -w \
    -o "-p $(cat "$state/postgres/port") -k $state/postgres -c listen_addresses=127.0.0.1" "$1" >/dev/null
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_ready() { # url pid log
  for _ in $(seq 1 1200); do
    curl -sf -o /dev/null "$1/readyz" && return 0
    alive "$2" || fail "the replica at $1 exited during start-up; its log:
$(tail -n 30 "$3")"
    sleep 0.1
  done
  fail "the replica at $1 was not ready within 120 s; its log:
$(tail -n 30 "$3")"
}

start_replica() { # index
  local dir="$state/replica-$1" port pid
  port=$(cat "$dir/port")
  Serving__ModelsPath="$root/models" Adapters__StorePath="$dir/store" Adapters__DatabaseConnection="$(cat "$state/postgres/connection")" \
    MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} dotnet "$server_dll" --urls "http://127.0.0.1:$port" >>"$dir/log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/pid"
  echo "$pid"
}

up() {
  local replicas=2 port=""
  while (($#)); do
    case $1 in
      --replicas) replicas=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      *) fail "unknown option $1 (up --replicas N --port P)" ;;
    esac
  done
  [[ $replicas =~ ^[1-9][0-9]*$ ]] || fail "--replicas takes a positive number"
  [[ $port =~ ^[1-9][0-9]*$ ]] || fail "--port takes the balancer's port"
  [[ ! -e "$state" ]] || fail "$state exists: a cluster is up (scripts/cluster.sh down stops it) or SPEECHSERVE_CLUSTER_DIR must name another folder"
  [[ -f "$server_dll" ]] || fail "$server_dll not found; run dotnet build src/Serving first"
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || fail "nginx is not installed; run scripts/setup.sh"
  [[ -n "${Admin__ApiKey:-}" ]] || echo "cluster: Admin__ApiKey is not set; the admin API stays off" >&2
  local bin
  bin=$(pg_bin)

  mkdir -p "$state/postgres" "$state/nginx/temp"
  chmod 755 "$state"
  [[ $(id -u) == 0 ]] && chown postgres "$state/postgres"
  local pg_port
  pg_port=$(free_port)
  echo "$pg_port" >"$state/postgres/port"
  as_db_owner "$bin/initdb" -D "$state/postgres/data" -U speechserve -A trust -E UTF8 --no-instructions >"$state/postgres/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -n 20 "$state/postgres/initdb.log")"
  pg_ctl start
  as_db_owner "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U speechserve speechserve
  echo "Host=127.0.0.1;Port=$pg_port;Username=speechserve;Database=speechserve;Timeout=3;Command Timeout=10" >"$state/postgres/connection"

  local servers="" pids=()
  for i in $(seq 0 $((replicas - 1))); do
    mkdir -p "$state/replica-$i"
    free_port >"$state/replica-$i/port"
    servers+="        server 127.0.0.1:$(cat "$state/replica-$i/port") max_fails=1 fail_timeout=2s;"$'\n'
    pids+=("$(start_replica "$i")")
  done
  for i in $(seq 0 $((replicas - 1))); do
    wait_ready "http://127.0.0.1:$(cat "$state/replica-$i/port")" "${pids[$i]}" "$state/replica-$i/log"
  done

  # nginx's workers run as nobody when the master is root: they need to write the temporary folders.
  chmod 1777 "$state/nginx/temp"
  sed -e "s|@STATE@|$state/nginx|g" -e "s|@PORT@|$port|g" "$root/scripts/cluster/nginx.conf" |
    awk -v servers="$servers" '{ if ($0 == "@SERVERS@") printf "%s", servers; else print }' >"$state/nginx/nginx.conf"
  "$(command -v nginx || echo /usr/sbin/nginx)" -p "$state/nginx" -c "$state/nginx/nginx.conf" -e "$state/nginx/error.log" ||
    fail "nginx did not start: $(tail -n 20 "$state/nginx/error.log")"

  for i in $(seq 0 $((replicas - 1))); do
    echo "replica http://127.0.0.1:$(cat "$state/replica-$i/port")"
  done
  echo "balancer http://127.0.0.1:$port"
}

stop_pid() { # pid file
  [[ -f "$1" ]] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  [[ -d "$state" ]] || { echo "cluster: nothing is up in $state"; return 0; }
  stop_pid "$state/nginx/nginx.pid"
  for dir in "$state"/replica-*; do
    [[ -d "$dir" ]] && stop_pid "$dir/pid"
  done
  [[ -f "$state/postgres/data/postmaster.pid" ]] && { pg_ctl stop || true; }
  rm -rf "$state"
}

replica_dir() {
  [[ ${1:-} =~ ^[0-9]+$ && -d "$state/replica-$1" ]] || fail "no replica '${1:-}' in $state"
  echo "$state/replica-$1"
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  kill-replica)
    dir=$(replica_dir "${2:-}")
    pid=$(cat "$dir/pid")
    kill -9 "$pid"
    while alive "$pid"; do sleep 0.05; done
    ;;
  start-replica)
    dir=$(replica_dir "${2:-}")
    ! alive "$(cat "$dir/pid")" || fail "replica $2 is running"
    pid=$(start_replica "$2")
    wait_ready "http://127.0.0.1:$(cat "$dir/port")" "$pid" "$dir/log"
    echo "replica http://127.0.0.1:$(cat "$dir/port")"
    ;;
  restart-postgres | stop-postgres | start-postgres) pg_ctl "${1%-postgres}" ;;
  *) fail "usage: scripts/cluster.sh up --replicas N --port P | down | kill-replica I | start-replica I | restart-postgres | stop-postgres | start-postgres" ;;
esac
