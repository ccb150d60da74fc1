"""Real faults for the outage tests: a Redis of the test's own that it can kill, and real workers."""

import base64
import email
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings

from tests.schemas import subprocess_database_url

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class RedisServer:
    """redis-server on a free port of its own, without persistence: kill() is a crash (SIGKILL)."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)

    def start(self) -> None:
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, 10), "redis-server did not start"

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert not self._answers()

    def queued_task_args(self, queue: str = "default") -> list[tuple[str, list]]:
        """The tasks waiting in a Celery queue on this Redis: (name, args)."""
        found = []
        for raw in self.client().lrange(queue, 0, -1):
            message = json.loads(raw)
            args = json.loads(base64.b64decode(message["body"]))[0]
            found.append((message["headers"]["task"], args))
        return found


class SmtpServer:
    """tests/smtp_catcher.py on a free port of its own, in its own process: stop() takes the mail server
    down (connections refused), start() brings it back on the same port; messages() are those it accepted."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self, hold: int | None = None) -> None:
        """With `hold`, the message after the first `hold` gets no answer (see smtp_catcher)."""
        command = [sys.executable, "-m", "tests.smtp_catcher", str(self.port), str(self.directory)]
        self.process = subprocess.Popen([*command, *([str(hold)] if hold is not None else [])], cwd=ROOT)
        assert wait_for(self._answers, 10), "the SMTP catcher did not start"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                return connection.recv(3) == b"220"
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def is_holding(self) -> bool:
        return (self.directory / "holding").exists()

    def messages(self) -> list:
        """The accepted messages, parsed, in the order they came."""
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.directory.glob("*.eml"))
        ]


@contextmanager
def broker_at(url: str):
    """Point this process's Celery app at another broker for a while (the pools are made anew)."""
    from accountant_portal.celery import app

    def reset_pools():
        # Dropped, not closed: kombu keeps one pool per broker URL and hands the same one out again.
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    reset_pools()
    app.conf.broker_url = url
    try:
        yield app
    finally:
        reset_pools()
        app.conf.broker_url = previous


def cache_settings(url: str) -> dict:
    return {"default": {**settings.CACHES["default"], "LOCATION": url}}


def worker_env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test",
        "DATABASE_URL": subprocess_database_url(),
        "TEST_REDIS_URL": settings.REDIS_URL,
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("PYTEST_XDIST_WORKER", None)  # the Redis database is given as it is, not moved for a worker
    return env


def start_worker_process(log_path: Path, **env) -> subprocess.Popen:
    """A real Celery worker (prefork, one child) in a process group of its own, so that the test can
    kill the main process and its children at once."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "accountant_portal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=worker_env(**env),
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL to the worker's main process and every child, as when its machine dies."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
