#!/bin/sh
# One-shot (docker-compose.yml service `temporal-schema`, image temporalio/admin-tools): creates
# Temporal's two databases in the shared PostgreSQL and brings their schemas up to the version
# this image ships. Idempotent: run on every `docker compose up`; an upgrade of the Temporal
# images applies the new schema versions here before the new server starts.
set -eu

: "${POSTGRES_SEEDS:=postgres}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
: "${TEMPORAL_DB:=temporal}"
: "${TEMPORAL_VISIBILITY_DB:=temporal_visibility}"
export SQL_PASSWORD

# The admin-tools image's schemas; the local cluster (temporal/cluster) passes its own copy.
: "${SCHEMA_DIR:=/etc/temporal/schema/postgresql/v12}"

# The admin-tools image has nc; a machine without it relies on the sql tool's own error.
if command -v nc >/dev/null 2>&1; then
  tries=0
  until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "PostgreSQL at $POSTGRES_SEEDS:$DB_PORT did not answer" >&2; exit 1; }
    sleep 1
  done
fi

sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"; }

for pair in "$TEMPORAL_DB:temporal" "$TEMPORAL_VISIBILITY_DB:visibility"; do
  db=${pair%%:*}
  kind=${pair#*:}
  echo "temporal-schema: $db ($kind)"
  sql --db "$db" create                       # no-op when it exists
  sql --db "$db" setup-schema -v 0.0          # no-op when the version table exists
  sql --db "$db" update-schema -d "$SCHEMA_DIR/$kind/versioned"
done
echo "temporal-schema: done"
