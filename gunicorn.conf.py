"""Gunicorn's settings (read from the working directory: `gunicorn accountant_portal.wsgi`).

Every value can be changed through the environment (README, "Configuration"). Workers follow the machine's
cores: two processes per core plus one, one thread each. A request here is mostly Python (templates), not
waiting for PostgreSQL: with 4 threads per worker the load test's p95 was 320 ms (threads fighting over
each process's GIL), with 1 thread 180 ms (make loadtest, 2 cores, 2026-12-04). gthread keeps keep-alive.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

wsgi_app = "accountant_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", _cores * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request that runs this long is stuck: the worker is restarted (large reports are written by Celery).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Behind a reverse proxy a short keep-alive is enough; facing clients directly (the load test), make it
# longer than a person's pause between clicks, or a reused connection meets a closed socket.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Workers are replaced now and then, at different moments, so that no slow leak grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Request lines of at most 8 KB; the application logs one structured line per request too (core.logs).
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# "-" is standard output; an empty GUNICORN_ACCESS_LOG turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# /tmp may be a slow disk in a container: heartbeat files in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
