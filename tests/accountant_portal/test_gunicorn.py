"""gunicorn.conf.py: workers follow the cores, one thread each, unless the environment says otherwise,
and gunicorn itself accepts the file with the production settings."""

import multiprocessing
import os
import runpy
import subprocess
import sys
from pathlib import Path

from tests.accountant_portal.test_settings import PRODUCTION_ENV
from tests.outages import free_port, wait_for
from tests.schemas import subprocess_database_url

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"


def _config(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_follow_the_cores_with_one_thread_each(monkeypatch):
    config = _config(monkeypatch)
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert (config["worker_class"], config["threads"], config["bind"]) == ("gthread", 1, "0.0.0.0:8000")
    assert config["timeout"] == 30 and config["accesslog"] == "-"
    assert "request_id=%({x-request-id}o)s" in config["access_log_format"]


def test_the_environment_sets_workers_threads_address_and_turns_the_access_log_off(monkeypatch):
    config = _config(
        monkeypatch, WEB_CONCURRENCY="2", GUNICORN_THREADS="8", PORT="9000", GUNICORN_ACCESS_LOG=""
    )
    assert (config["workers"], config["threads"], config["bind"]) == (2, 8, "0.0.0.0:9000")
    assert config["accesslog"] is None


def _healthcheck(path: str, port: int, env: dict) -> int:
    return subprocess.run(
        [sys.executable, "scripts/healthcheck.py", path],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        capture_output=True,
        timeout=30,
    ).returncode


def test_gunicorn_serves_production_settings_and_the_container_probe_gets_through(db, tmp_path):
    """Plain http from inside, with ALLOWED_HOSTS naming only the public host: the probe still answers."""
    port = free_port()
    env = {**os.environ, **PRODUCTION_ENV, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    env["DATABASE_URL"] = subprocess_database_url()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: _healthcheck("/salud/", port, env) == 0, 30), (
            tmp_path / "gunicorn.log"
        ).read_text()
        assert _healthcheck("/salud/no-existe/", port, env) == 1  # a 404
        assert _healthcheck("/contador/", port, env) == 1  # the https redirect is not followed
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert _healthcheck("/salud/", port, env) == 1  # nothing listens any more
