#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a NEW database on DATABASE_URL's server:
#   scripts/restore.sh FILE NEW_DATABASE
# Refuses a database that exists; drops the new database again when the restore fails. The owner role
# (DATABASE_OWNER_URL, else DATABASE_URL's) creates and owns the new database; the app role of DATABASE_URL
# then gets its privileges (manage.py database_grants). Then point DATABASE_URL (and DATABASE_OWNER_URL) at
# the new database (the web, the workers and beat) and start them.
set -euo pipefail
FILE="${1:?usage: scripts/restore.sh FILE NEW_DATABASE}"
NEW="${2:?usage: scripts/restore.sh FILE NEW_DATABASE}"
: "${DATABASE_URL:?set DATABASE_URL to any database of the target server}"
[[ "$NEW" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "Database names here are lower-case letters, digits, _." >&2; exit 2; }
[ -f "$FILE" ] || { echo "No file $FILE." >&2; exit 2; }
SERVER="${DATABASE_OWNER_URL:-$DATABASE_URL}"; SERVER="${SERVER%/*}"
PG="${PG_BIN:+$PG_BIN/}"
"${PG}psql" --dbname="$SERVER/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$NEW\""
drop_new() { "${PG}psql" --dbname="$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$NEW\" WITH (FORCE)"; }
trap drop_new ERR
"${PG}pg_restore" --no-owner --no-privileges --exit-on-error --jobs="${RESTORE_JOBS:-2}" \
  --dbname="$SERVER/$NEW" "$FILE"
DATABASE_URL="${DATABASE_URL%/*}/$NEW" DATABASE_OWNER_URL="$SERVER/$NEW" \
  "${PYTHON:-$(dirname "$0")/../.venv/bin/python}" "$(dirname "$0")/../manage.py" database_grants
trap - ERR
echo "Restored into $NEW: DATABASE_URL=${DATABASE_URL%/*}/$NEW"
