#!/usr/bin/env bash
# Back up the whole database (public schema and every company schema) from one consistent snapshot:
#   scripts/backup.sh [FILE]      default: var/backups/portal-<UTC date-time>.dump (pg_dump custom format)
# Reads DATABASE_URL. pg_dump locks every table it reads in one transaction: with thousands of company
# schemas the server needs max_locks_per_transaction raised (docs/scaling.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
FILE="${1:-$ROOT/var/backups/portal-$(date -u +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$FILE")"
# pg_dump locks every table at once: say which setting to raise instead of failing with "out of shared memory".
read -r TABLES SLOTS < <("${PG_BIN:+$PG_BIN/}psql" --dbname="$DATABASE_URL" -XAtF ' ' -c "
  SELECT (SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p')),
         current_setting('max_locks_per_transaction')::int
         * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)")
if [ "$TABLES" -ge "$SLOTS" ]; then
  echo "pg_dump needs a lock per table: $TABLES tables, but the server's lock table has $SLOTS slots." >&2
  echo "Raise max_locks_per_transaction (docs/scaling.md) and restart PostgreSQL." >&2
  exit 3
fi
# A half-written file never carries the final name.
"${PG_BIN:+$PG_BIN/}pg_dump" --format=custom --dbname="$DATABASE_URL" --file="$FILE.partial"
mv "$FILE.partial" "$FILE"
echo "$FILE"
