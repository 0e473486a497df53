# Shared by up, down and status. Not a command of its own.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster.env
. "$HERE/cluster.env"
S=$KEDJA_CLUSTER_STATE

say() { printf '[kedja-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[kedja-cluster] %s\n' "$*" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, Patroni (and with it postgres) and pgbouncer run as the postgres user.
if [ "$(id -u)" -eq 0 ]; then DB_USER=postgres; else DB_USER=$(id -un); fi
as_db() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pidfile() { # where NAME's pid is kept (pgbouncer writes its own, as the postgres user, beside its configuration)
  if [ "$1" = pgbouncer ]; then echo "$S/pgbouncer/pgbouncer.pid"; else echo "$S/run/$1.pid"; fi
}

alive() { # alive NAME: the process in NAME's pid file runs
  local f; f=$(pidfile "$1")
  [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# Fills @NAME@ in a template from the shell variables of the same name.
render() {
  local template=$1 out=$2 text
  text=$(cat "$template")
  while [[ $text =~ @([A-Z0-9_]+)@ ]]; do
    local name=${BASH_REMATCH[1]}
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" > "$out"
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $end ]; then die "$what did not happen within ${seconds}s (logs: $S/log)"; fi
    sleep 0.2
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

load_secrets() {
  if [ -s "$S/secrets.env" ]; then . "$S/secrets.env"; fi
  : "${KEDJA_CLUSTER_SUPERUSER_PASSWORD:=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
  : "${KEDJA_CLUSTER_REPLICATION_PASSWORD:=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
  : "${KEDJA_CLUSTER_DB_PASSWORD:=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
}

# The connection strings the cluster offers (written to $S/connection.env by up).
connection_strings() {
  # Through pgbouncer (transaction pooling): what the app nodes use. No Reset On Close: pgbouncer resets nothing per
  # transaction and a DISCARD ALL would be a wasted round trip; Npgsql's own pool in each node stays small.
  APP_CONNECTION="Host=$KEDJA_CLUSTER_HOST;Port=$PGBOUNCER_PORT;Database=$KEDJA_CLUSTER_DB_NAME;Username=$KEDJA_CLUSTER_DB_USER;Password=$KEDJA_CLUSTER_DB_PASSWORD;No Reset On Close=true;Timeout=5;Command Timeout=30"
  # Straight to the primary through haproxy: for migrations, LISTEN/NOTIFY and session-level advisory locks.
  PRIMARY_CONNECTION="Host=$KEDJA_CLUSTER_HOST;Port=$PRIMARY_PORT;Database=$KEDJA_CLUSTER_DB_NAME;Username=$KEDJA_CLUSTER_DB_USER;Password=$KEDJA_CLUSTER_DB_PASSWORD;Timeout=5"
  # The replicas, for an optional read-only connection string (portal, open data, reports).
  REPLICA_CONNECTION="Host=$KEDJA_CLUSTER_HOST;Port=$REPLICA_PORT;Database=$KEDJA_CLUSTER_DB_NAME;Username=$KEDJA_CLUSTER_DB_USER;Password=$KEDJA_CLUSTER_DB_PASSWORD;Timeout=5"
  # Every PostgreSQL node listed, Npgsql picking the primary itself (no haproxy, no pgbouncer).
  HOSTS_CONNECTION="Host=$KEDJA_CLUSTER_HOST:$PG1_PORT,$KEDJA_CLUSTER_HOST:$PG2_PORT;Target Session Attributes=primary;Database=$KEDJA_CLUSTER_DB_NAME;Username=$KEDJA_CLUSTER_DB_USER;Password=$KEDJA_CLUSTER_DB_PASSWORD;Timeout=5"
}
