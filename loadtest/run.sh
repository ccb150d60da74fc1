#!/usr/bin/env bash
# `make loadtest`: Locust (headless) against gunicorn with the production settings and a Celery worker, on
# loopback only, on a seeded database that is reused while it is current (loadtest/seed.py).
# Ends with one line: p95_ms=N errors=N requests=N. Every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
OUT=$ROOT/var/loadtest
mkdir -p "$OUT"

PORT=${LOADTEST_PORT:-8765}
USERS=${LOADTEST_USERS:-50}
DURATION=${LOADTEST_DURATION:-3m}
LOCUST_VENV=${LOADTEST_VENV:-$ROOT/var/loadtest-venv}

source scripts/services.sh >/dev/null  # PostgreSQL and Redis answer (started here if needed)
SERVER_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_contador}

# Production settings, opened only as far as plain http on loopback needs (README, "Load test").
export DJANGO_SETTINGS_MODULE=accountant_portal.settings.production
export SECRET_KEY=${LOADTEST_SECRET_KEY:-loadtest-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL=http://127.0.0.1:$PORT
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 TRUSTED_PROXY_COUNT=0
export DATABASE_URL=${SERVER_URL%/*}/${LOADTEST_DATABASE_NAME:-portal_loadtest}
export REDIS_URL=${LOADTEST_REDIS_URL:-redis://127.0.0.1:6379/0}
export CACHE_KEY_PREFIX=loadtest
export EMAIL_URL=filemail://$OUT/mail
export LOG_LEVEL=${LOG_LEVEL:-INFO}  # the request lines (duration and CPU of each) go to gunicorn.log

if [ ! -x "$LOCUST_VENV/bin/locust" ] || ! cmp -s requirements/loadtest.txt "$LOCUST_VENV/.requirements"; then
  echo "Installing Locust in $LOCUST_VENV ..."
  "${PYTHON:-python3}" -m venv "$LOCUST_VENV"
  "$LOCUST_VENV/bin/pip" install -q --upgrade pip
  "$LOCUST_VENV/bin/pip" install -q -r requirements/loadtest.txt
  cp requirements/loadtest.txt "$LOCUST_VENV/.requirements"
fi

LOG_LEVEL=WARNING DATABASE_URL=$SERVER_URL "$BIN/python" loadtest/seed.py "$OUT/plan.json"
"$BIN/python" manage.py collectstatic --noinput -v 0

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=$OUT/access.log GUNICORN_KEEPALIVE=75 \
  "$BIN/gunicorn" >"$OUT/gunicorn.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A accountant_portal worker --loglevel WARNING --concurrency 1 --without-gossip \
  --without-mingle -n "loadtest-$$@%h" >"$OUT/worker.log" 2>&1 &
PIDS+=($!)

ready=""
for _ in $(seq 1 120); do
  if PORT=$PORT "$BIN/python" scripts/healthcheck.py /salud/listo/ 2>/dev/null; then
    ready=yes
    break
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "gunicorn or the worker did not become ready: see $OUT/gunicorn.log and $OUT/worker.log" >&2
  exit 1
fi

echo "Load test: $USERS accountants for $DURATION against http://127.0.0.1:$PORT (gunicorn, production settings)"
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -f "$OUT/summary.txt" "$OUT"/*-failed-*.html
LOADTEST_PLAN=$OUT/plan.json LOADTEST_SUMMARY=$OUT/summary.txt timeout 15m \
  "$LOCUST_VENV/bin/locust" -f loadtest/locustfile.py --headless --users "$USERS" --spawn-rate "${LOADTEST_SPAWN_RATE:-1}" \
  --run-time "$DURATION" --stop-timeout 30 --host "http://127.0.0.1:$PORT" --only-summary \
  --loglevel WARNING >"$OUT/locust.log" 2>&1 || true
cleanup
trap - EXIT INT TERM
if [ ! -s "$OUT/summary.txt" ]; then
  echo "Locust wrote no summary: see $OUT/locust.log" >&2
  exit 1
fi
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$BIN/python" loadtest/server_times.py "$OUT/gunicorn.log" || true
echo "client side (Locust):"
cat "$OUT/summary.txt"
