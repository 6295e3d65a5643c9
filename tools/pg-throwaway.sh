#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benchmarks.
#
#   tools/pg-throwaway.sh start [PORT]   # prints the URL to export as LAGEBILD_TEST_PG
#   tools/pg-throwaway.sh stop
#
# Installs Debian's postgresql package when no server binaries are found.
# initdb refuses to run as root, so the cluster runs as the `postgres` user
# when started by root. The data folder lives under /tmp and is removed on stop.
set -euo pipefail

STATE=/tmp/lagebild-pg
cmd=${1:-start}
PORT=${2:-54329}

pgbin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "$cmd" in
start)
  if [ -z "$(pgbin)" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PGBIN=$(pgbin)
  if [ -f "$STATE/port" ] && as_pg "$PGBIN/pg_ctl -D $STATE/data status" >/dev/null 2>&1; then
    echo "postgres://postgres@127.0.0.1:$(cat "$STATE/port")/lagebild"
    exit 0
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$STATE"
  as_pg "$PGBIN/initdb -D $STATE/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$STATE/initdb.log" 2>&1
  as_pg "$PGBIN/pg_ctl -D $STATE/data -l $STATE/server.log -o '-c listen_addresses=127.0.0.1 -p $PORT -k $STATE -c fsync=off -c max_connections=200' -w -t 30 start" >/dev/null
  echo "$PORT" >"$STATE/port"
  "$PGBIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -c "create database lagebild" >/dev/null
  echo "postgres://postgres@127.0.0.1:$PORT/lagebild"
  ;;
stop)
  PGBIN=$(pgbin)
  if [ -n "$PGBIN" ] && [ -d "$STATE/data" ]; then
    as_pg "$PGBIN/pg_ctl -D $STATE/data -m fast -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
  ;;
*)
  echo "usage: $0 start [PORT] | stop" >&2
  exit 2
  ;;
esac
