#!/usr/bin/env bash
# docker-compose's PostgreSQL, on its first start (docker-entrypoint-initdb.d): the two roles of README's
# "Database roles". portal_owner owns the database and runs migrations and provisioning; portal_app,
# which serves requests and most tasks, owns nothing (the migrations grant it what it may do).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$PORTAL_OWNER_PASSWORD" -v app_password="$PORTAL_APP_PASSWORD" <<'SQL'
CREATE ROLE portal_owner LOGIN CREATEDB PASSWORD :'owner_password';
CREATE ROLE portal_app LOGIN PASSWORD :'app_password';
ALTER DATABASE portal_contador OWNER TO portal_owner;
SQL
