import os

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# A Redis database of its own, flushed at the start of the test session; with pytest-xdist each worker
# (gw0, gw1, ...) takes the next database down, as each takes a test database of its own.
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and _worker[2:].isdigit():
    _base, _, _db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{(int(_db or 0) - int(_worker[2:])) % 16}"
CACHES["default"]["LOCATION"] = REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "portal-test"
CELERY_BROKER_URL = REDIS_URL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if env("TEST_EMAIL_URL", default=""):  # the fault tests' workers talk to a real SMTP server of the test's
    vars().update(env.email_url("TEST_EMAIL_URL"))
EMAIL_RETRY_BACKOFF = 1  # seconds: the retry tests wait for real back-off
SITE_URL = "http://testserver"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_RATE_LIMITS = False
# The test databases are created, migrated and filled by the owner role; tests that check what the app
# role may do connect as DATABASE_APP (tests/core/test_database_roles.py).
DATABASES["default"].update(DATABASE_OWNER)  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_portal_contador")}
# Static files come from the finders (runserver, live_server); WhiteNoise serves them in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
