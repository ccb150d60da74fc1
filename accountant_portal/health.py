"""Health probes for docker-compose and load balancers: /salud/ (this process answers) and /salud/listo/
(PostgreSQL, Redis and at least one Celery worker answer within a short timeout).

No login and no access check: a probe has no account, and these pages show no data of anybody, only
whether each service answers (never an address, a password or an error's text).
"""

import logging
import time

import redis
from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1.0


@never_cache
@require_GET
def alive(request):
    """The process runs and answers requests (touches no other service)."""
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = %s", [int(TIMEOUT_SECONDS * 1000)])
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        if not client.ping():
            raise RuntimeError("no PONG")
    finally:
        client.close()


def _workers() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)
        # limit=1: the first worker's answer is enough; without it the ping waits out the whole timeout.
        answers = celery_app.control.ping(timeout=TIMEOUT_SECONDS, connection=conn, limit=1)
    if not answers:
        raise RuntimeError("no worker answered")


CHECKS = {"database": _database, "redis": _redis, "celery": _workers}


@never_cache
@require_GET
def ready(request):
    """200 when every check passes, else 503; the JSON names each check, its result and its time."""
    checks = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure is the answer; its text stays in the log, not the page
            logger.warning("Health check %s failed: %s", name, type(exc).__name__)
            result = "fail"
        else:
            result = "ok"
        checks[name] = {"status": result, "ms": round((time.perf_counter() - started) * 1000, 1)}
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "fail", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
