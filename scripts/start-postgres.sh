#!/usr/bin/env bash
# Start Debian's PostgreSQL and create the test role and database; prints the database URL.
set -euo pipefail
PGUSER_NAME="${SECESSION_PG_USER:-secession}"
PGPASS="${SECESSION_PG_PASSWORD:-secession-test}"
PGDB="${SECESSION_PG_DB:-secession}"
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "start-postgres: PostgreSQL is not installed (run scripts/setup.sh --system)" >&2
  exit 1
fi
read -r version cluster _ < <(pg_lsclusters --no-header | head -n1)
if [[ -z "${version:-}" ]]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='$PGUSER_NAME'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role $PGUSER_NAME login createdb password '$PGPASS'\"" >/dev/null
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='$PGDB'\"" | grep -q 1 \
  || su postgres -c "createdb -O $PGUSER_NAME $PGDB" >/dev/null
port="$(su postgres -c "psql -qAtc 'show port'")"
echo "postgres://$PGUSER_NAME:$PGPASS@127.0.0.1:$port/$PGDB"
