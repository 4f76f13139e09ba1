#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's packages).
#   scripts/postgres.sh start   -> prints the DATABASE_URL on its last line
#   scripts/postgres.sh stop
set -euo pipefail
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PGDATA="${KHLANG_PG_DATA:-/tmp/khlang-test-postgres}"
# Below the ephemeral range (32768+), where a client socket could already hold it.
PGPORT="${KHLANG_PG_PORT:-15432}"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$PGDATA"
      as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
        -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" >&2
    fi
    echo "postgres://postgres@127.0.0.1:$PGPORT/khlang"
    ;;
  stop)
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2
    ;;
esac
