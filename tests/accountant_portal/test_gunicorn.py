"""gunicorn.conf.py: workers and threads follow the cores unless the environment says otherwise, and gunicorn
itself accepts the file with the production settings."""

import multiprocessing
import os
import runpy
import subprocess
import sys
from pathlib import Path

from tests.accountant_portal.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"


def _config(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_follow_the_cores_and_threads_serve_requests_waiting_for_the_database(monkeypatch):
    config = _config(monkeypatch)
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert (config["worker_class"], config["threads"], config["bind"]) == ("gthread", 4, "0.0.0.0:8000")
    assert config["timeout"] == 30 and config["accesslog"] == "-"
    assert "request_id=%({x-request-id}o)s" in config["access_log_format"]


def test_the_environment_sets_workers_threads_address_and_turns_the_access_log_off(monkeypatch):
    config = _config(
        monkeypatch, WEB_CONCURRENCY="2", GUNICORN_THREADS="8", PORT="9000", GUNICORN_ACCESS_LOG=""
    )
    assert (config["workers"], config["threads"], config["bind"]) == (2, 8, "0.0.0.0:9000")
    assert config["accesslog"] is None


def test_gunicorn_accepts_the_file_and_loads_the_app_with_production_settings():
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
