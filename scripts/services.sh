#!/usr/bin/env bash
# Source this file: makes sure PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) answer.
# When no PostgreSQL answers on this machine, starts a project-local cluster under var/ from the
# local PostgreSQL binaries and points DATABASE_URL at it.
# Without a DATABASE_URL of yours, it creates the two roles (README, "Database roles") through the local
# superuser and exports DATABASE_URL as the app role (portal_app) and DATABASE_OWNER_URL as the owner
# (portal_owner). With a DATABASE_URL of yours, it leaves both URLs as you set them.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_two_roles="${DATABASE_URL:+no}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_contador}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"

_url_part() { "$ROOT/.venv/bin/python" -c "import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print({'host': p.hostname or '127.0.0.1', 'port': p.port or sys.argv[3], 'db': p.path.lstrip('/') or '0'}[sys.argv[2]])" "$1" "$2" "$3"; }

_pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

_pg_up() { "$ROOT/.venv/bin/python" - "$DATABASE_URL" <<'PY' >/dev/null 2>&1
import sys, urllib.parse as u, psycopg
p = u.urlsplit(sys.argv[1])
psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username or "postgres", password=p.password, dbname="postgres", connect_timeout=3).close()
PY
}

if ! _pg_up; then
  bindir="$(_pg_bindir)"
  if [ -z "$bindir" ]; then
    echo "PostgreSQL does not answer at DATABASE_URL and no local PostgreSQL binaries were found." >&2
    echo "Install PostgreSQL 15 (apt-get install postgresql) or set DATABASE_URL." >&2
    return 1 2>/dev/null || exit 1
  fi
  pgdata="$ROOT/var/pgdata"; port="${LOCAL_PG_PORT:-5433}"
  as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)   # initdb refuses to run as root
  mkdir -p "$ROOT/var"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    echo "Starting a project-local PostgreSQL cluster in var/pgdata (port $port)..."
    mkdir -p "$pgdata"; [ "$(id -u)" = 0 ] && chown postgres "$pgdata"
    "${as_pg[@]}" "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  [ "$(id -u)" = 0 ] && chown postgres "$ROOT/var"
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $pgdata -c max_locks_per_transaction=256" start >/dev/null || true
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$(_url_part "$DATABASE_URL" db 5432)"
  _pg_up || { echo "Could not start the local PostgreSQL cluster (see var/pgdata/server.log)." >&2; return 1 2>/dev/null || exit 1; }
fi

if [ -z "$_two_roles" ]; then
  # The roles, and the database owned by portal_owner (created if it does not exist yet).
  "$ROOT/.venv/bin/python" "$ROOT/scripts/database_roles.py" "$DATABASE_URL" portal_owner portal_app || {
    echo "Could not create the database roles portal_owner and portal_app (see above)." >&2
    return 1 2>/dev/null || exit 1
  }
  export DATABASE_OWNER_URL="${DATABASE_URL/postgres@/portal_owner@}"
  export DATABASE_URL="${DATABASE_URL/postgres@/portal_app@}"
else
  # Create the database if it does not exist yet.
  "$ROOT/.venv/bin/python" - "${DATABASE_OWNER_URL:-$DATABASE_URL}" "$DATABASE_URL" <<'PY'
import sys, urllib.parse as u, psycopg
p = u.urlsplit(sys.argv[1]); name = u.urlsplit(sys.argv[2]).path.lstrip("/")
with psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username or "postgres", password=p.password, dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
fi

if ! "$ROOT/.venv/bin/python" -c "import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()" "$REDIS_URL" 2>/dev/null; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis on port $(_url_part "$REDIS_URL" port 6379)..."
    redis-server --daemonize yes --bind 127.0.0.1 --port "$(_url_part "$REDIS_URL" port 6379)" --save "" --appendonly no >/dev/null
    sleep 1
  else
    echo "Redis does not answer at REDIS_URL and redis-server is not installed (apt-get install redis-server)." >&2
    return 1 2>/dev/null || exit 1
  fi
fi
