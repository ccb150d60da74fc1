"""Production settings pass Django's deployment checks; settings come from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.production",
    "SECRET_KEY": "k3y-" + "x9Qz!r7Lm#p2Vw8&Tn4Bc6Yh0Jd5Gs1Fa3Ke" * 2,
    "ALLOWED_HOSTS": "contador.example.com",
}


def _run(*args, extra_env=None):
    env = {**os.environ, **PRODUCTION_ENV, **(extra_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    env.setdefault(
        "DATABASE_URL", os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_contador")
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_requires_email_confirmation_and_argon2():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ACCOUNT_EMAIL_VERIFICATION, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], s.DEBUG)"
    )
    result = _run("-c", code)
    assert result.stdout.split() == ["mandatory", "Argon2PasswordHasher", "False"], result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_makes_email_confirmation_optional():
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "optional"


def test_every_environment_variable_is_documented_in_the_readme():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = [*(ROOT / "accountant_portal" / "settings").glob("*.py"), *(ROOT / "scripts").glob("*.sh")]
    sources += [ROOT / "bench" / "run.py", ROOT / "tests" / "browser" / "conftest.py", ROOT / "Makefile"]
    sources += [ROOT / "gunicorn.conf.py", *(ROOT / "loadtest").glob("*.*")]
    pattern = re.compile(
        r"""env(?:\.\w+)?\(\s*["']([A-Z_]+)["']|\$\{([A-Z_]+):-|environ\.get\(\s*["']([A-Z_]+)["']"""
    )
    names = {
        name for path in sources for match in pattern.findall(path.read_text()) for name in match if name
    }
    names.discard("DJANGO_ALLOW_ASYNC_UNSAFE")  # set by the browser tests for themselves, not configuration
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def _setting(name, **env):
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    return _run("-c", code, extra_env=env)


def test_site_url_defaults_to_the_port_the_development_server_listens_on():
    """`PORT=8111 make run`: the links in e-mails point at localhost:8111."""
    result = _run(
        "-c",
        "import os; os.environ.pop('SITE_URL', None); import django; django.setup(); "
        "from django.conf import settings as s; print(s.SITE_URL)",
        extra_env={"DJANGO_SETTINGS_MODULE": "accountant_portal.settings.dev", "PORT": "8111"},
    )
    assert result.stdout.strip() == "http://localhost:8111", result.stderr


def test_production_links_go_to_the_first_allowed_host_unless_site_url_says_otherwise():
    assert _setting("SITE_URL").stdout.strip() == "https://contador.example.com"
    assert (
        _setting("SITE_URL", SITE_URL="https://app.example.com/").stdout.strip() == "https://app.example.com"
    )


def test_docker_compose_connects_as_the_two_roles_its_database_creates():
    """No Docker here: the compose file is read against the settings and the roles' init script."""
    compose = (ROOT / "docker-compose.yml").read_text()
    init = (ROOT / "scripts" / "docker-db-init.sh").read_text()
    assert "DATABASE_URL: postgres://portal_app:" in compose
    assert "DATABASE_OWNER_URL: postgres://portal_owner:" in compose
    assert "./scripts/docker-db-init.sh:/docker-entrypoint-initdb.d/" in compose
    assert (
        "CREATE ROLE portal_owner LOGIN CREATEDB" in init and "CREATE ROLE portal_app LOGIN PASSWORD" in init
    )
    assert "ALTER DATABASE portal_contador OWNER TO portal_owner" in init
    # The web's migrations run through manage.py (the owner); gunicorn serves as the app role.
    assert "python manage.py migrate_schemas --shared" in compose and "exec gunicorn" in compose
