"""Settings shared by every environment. Values come from the environment (see README)."""

from datetime import date, timedelta
from pathlib import Path

import django.contrib.admin
import environ
from django.utils.translation import gettext_lazy as _

from accountant_portal.beat import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SHARED_APPS = [
    "django_tenants",
    "core",
    "accounts",
    "firms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "invitations",
    "bulk_import",
    "indicators",
    "django_htmx",
    "accountant_portal",  # project-wide commands (seed_demo)
]
# Company books: one schema per company.
TENANT_APPS = [
    "books",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "firms.Company"
PUBLIC_SCHEMA_NAME = "public"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    # First: the request id and the one log line per request (core.logs), whatever answers below.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    # 400 for a NUL character in the address or a form, before any view or query reads it.
    "core.middleware.UnusableInputMiddleware",
    # 503 with a clear page if Redis or the broker fail in a way nothing else softened.
    "core.middleware.ServiceUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The activity log names the request's user as who did what.
    "firms.middleware.AuditActorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sets the company schema from /c/<slug>/ and checks access; then the plan guard.
    "firms.middleware.CompanyAreaMiddleware",
    "firms.middleware.PlanWriteGuardMiddleware",
]

# Only the app's own files: no inline script, style="" or on*="" attribute, no other site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

ROOT_URLCONF = "accountant_portal.urls"
WSGI_APPLICATION = "accountant_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Django's admin templates come before django-tenants' copies of the admin index, whose inline
        # styles the Content-Security-Policy refuses (they grey out tenant apps, none in this admin).
        "DIRS": [BASE_DIR / "templates", Path(django.contrib.admin.__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "firms.context_processors.workspace",
                "firms.context_processors.notices",
            ],
        },
    },
]

# Two PostgreSQL roles (README, "Database roles"): web requests and most tasks connect as the app role of
# DATABASE_URL, which owns nothing; migrations, provisioning and the nightly balance check connect as the
# owner role of DATABASE_OWNER_URL (its user and password; the database is DATABASE_URL's). Without
# DATABASE_OWNER_URL both are DATABASE_URL's role, as older installs have it, without the protection.
_database_url = env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal_contador")
DATABASES = {"default": env.db_url_config(_database_url, engine="django_tenants.postgresql_backend")}
DATABASE_APP = {"USER": DATABASES["default"]["USER"], "PASSWORD": DATABASES["default"]["PASSWORD"]}
_owner = env.db_url_config(env("DATABASE_OWNER_URL", default=_database_url))
DATABASE_OWNER = {"USER": _owner["USER"], "PASSWORD": _owner["PASSWORD"]}
# manage.py's commands (migrations, provisioning, imports, the demo) run as the owner role.
if env("DATABASE_ROLE", default="app") == "owner":
    DATABASES["default"].update(DATABASE_OWNER)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Redis; while Redis is down each process falls back to its own memory (login keeps working).
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Database sessions that know their user: a deactivated user is logged out everywhere.
SESSION_ENGINE = "accounts.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "firms:workspace_home"

# django-allauth: e-mail login, no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "firms.forms.AccountantSignupForm"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Subjects name the product themselves (templates/account/email/*_subject.txt).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Sends allauth's e-mails through the outbox and a Celery task, like every e-mail of the product.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Behind a reverse proxy every request comes from the proxy's address: the client's is the one the
# proxies of ours (this many, counted from the end) wrote in X-Forwarded-For (accounts.adapter).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Limits per client address, high enough for an office of 50 behind one address; each account is
# still locked for 5 minutes after 5 failed logins, whatever the address.
LOGIN_RATE_PER_IP = env.int("LOGIN_RATE_PER_IP", default=300)
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=100)
PASSWORD_RESETS_PER_IP = env.int("PASSWORD_RESETS_PER_IP", default=60)
ACCOUNT_RATE_LIMITS = {
    "login": f"{LOGIN_RATE_PER_IP}/m/ip",
    "login_failed": f"{LOGIN_FAILURES_PER_IP}/m/ip,5/5m/key",
    "reset_password": f"{PASSWORD_RESETS_PER_IP}/m/ip,5/m/key",
    "reset_password_from_key": f"{PASSWORD_RESETS_PER_IP}/m/ip",
}

LANGUAGE_CODE = "es-co"
LANGUAGES = [("es-co", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Bogota")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: EMAIL_URL, e.g. smtp://user:pass@host:587?tls=True, consolemail://, filemail://path.
# Without it, e-mails are written to var/mail/ and printed on the console.
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "core.mail.FileAndConsoleEmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal Contador <no-responder@portalcontador.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery on Redis. Tasks take ids and are safe to run twice (acks late: a lost worker's task runs again).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# A page that queues a task never waits long for a broker that is down (the work stays recorded).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# The worker logs through LOGGING above (JSON lines with the task id and the request id that queued it).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The periodic jobs: accountant_portal/beat.py.
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# Companies per task of the nightly refresh of the portfolio board (one schema after another).
SNAPSHOT_REFRESH_BATCH = env.int("SNAPSHOT_REFRESH_BATCH", default=100)
# Background work (e-mails, invitations, link requests, imports, report files, the board's refreshes) waiting
# or running without a sign of life for this long is queued again (core.work; by the beat job above, and by
# the pages of imports and report files as they poll).
WORK_STALLED_AFTER = timedelta(seconds=env.int("WORK_STALLED_SECONDS", default=120))
# Queued e-mails not sent within this time are given up (the links in them expire in 3 days).
OUTBOX_MAX_AGE = timedelta(days=3)

CELERY_TIMEZONE = TIME_ZONE

# Product settings.
# Absolute address of the site, for every link in e-mails and calendar feeds (core.urls.absolute_url):
# by default the address the development server listens on (PORT, as `make run` uses it).
SITE_URL = env("SITE_URL", default=f"http://localhost:{env.int('PORT', default=8000)}").rstrip("/")
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
INVITATION_RESEND_MINUTES = 10
# After a company declines a link request, the same workspace may ask it again only after these days.
LINK_REQUEST_BLOCK_DAYS = 30
INVITATION_REMINDER_AFTER_DAYS = 3
# Growing, randomized back-off between e-mail attempts: up to factor * 2**attempt seconds.
EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=30)
EMAIL_MAX_RETRIES = 6
# Tax calendar reminders: each accountant gets the due dates of the next N days, once per due date.
TAX_REMINDER_DAYS = env.int("TAX_REMINDER_DAYS", default=5)
TRIAL_DAYS = env.int("TRIAL_DAYS", default=15)
WORKSPACE_PAGE_SIZE = 25
# The dates a comprobante may have: from this day (the database refuses any before 1990-01-01 anyway) to
# this many years after today (books.services.common.entry_dates).
ENTRY_DATES_FROM = date.fromisoformat(env("ENTRY_DATES_FROM", default="1990-01-01"))
ENTRY_DATES_YEARS_AHEAD = env.int("ENTRY_DATES_YEARS_AHEAD", default=1)
# Where accountants write to activate a paid plan (shown in plan consulta).
SALES_EMAIL = env("SALES_EMAIL", default="ventas@portalcontador.local")
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="soporte@portalcontador.local")

# Logs on standard output: one JSON object per line (LOG_FORMAT=json, production's default) or readable
# text; every line written during a request or a Celery task carries its request id (core.logs).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"()": "core.logs.TextFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_tenants": {"level": "WARNING"},
        # Django's own line for each 4xx/5xx would repeat the request line (errors keep their traceback).
        "django.request": {"level": "ERROR"},
        # gunicorn writes its access log itself; this keeps it off the root handler.
        "gunicorn.access": {"propagate": False},
    },
}
