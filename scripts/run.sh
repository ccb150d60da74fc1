#!/usr/bin/env bash
# `make run`: services, migrations, demo data, then web + Celery worker (with beat) until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-accountant_portal.settings.dev}"
source scripts/services.sh
PY=.venv/bin/python
# The web server, the worker and SITE_URL (links in e-mails) all follow PORT.
export PORT="${PORT:-8000}"
mkdir -p var/mail
$PY manage.py migrate_schemas --shared --noinput -v 0
$PY manage.py migrate_companies
echo "Seeding the demo..."
LOGINS="$($PY manage.py seed_demo --workspaces "${DEMO_WORKSPACES:-1}" --companies "${DEMO_COMPANIES:-25}" --password "${DEMO_PASSWORD:-demo-contador-2026}" --admin --provision)"
.venv/bin/celery -A accountant_portal worker -B --concurrency 2 --loglevel INFO \
  --schedule var/celerybeat-schedule > var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  Portal Contador is running: http://localhost:$PORT
  Log in with:
$LOGINS
  Worker log: var/worker.log · e-mails: var/mail/ · database: $DATABASE_URL

MSG
$PY manage.py runserver "0.0.0.0:$PORT"
