"""Structured logs: one line per request with its ids; the request id reaches the worker's lines of its
tasks."""

import io
import json
import logging
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker

from core.logs import ContextFilter, JsonFormatter, bound, request_id_from
from tests.outages import wait_for


@contextmanager
def captured_json():
    """What the console handler of production writes (the context filter and the JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.setLevel(level)
        root.removeHandler(handler)


@pytest.fixture
def json_lines():
    with captured_json() as lines:
        yield lines


def test_a_company_page_logs_one_line_with_the_request_user_workspace_and_schema(
    accountant_client, accountant, workspace, linked_company, json_lines
):
    response = accountant_client.get(linked_company.get_absolute_url() + "?q=secreto")
    request_id = response["X-Request-ID"]
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert line["request_id"] == request_id and len(request_id) == 32
    assert (line["method"], line["path"], line["status"]) == ("GET", linked_company.get_absolute_url(), 200)
    assert line["user_id"] == accountant.pk and line["workspace_id"] == workspace.pk
    assert line["company_schema"] == linked_company.schema_name
    assert isinstance(line["duration_ms"], float) and isinstance(line["cpu_ms"], float)
    assert "secreto" not in json.dumps(line)


def test_an_anonymous_request_logs_no_user(client, db, json_lines):
    response = client.get("/no-existe/")
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert line["status"] == 404 and line["request_id"] == response["X-Request-ID"]
    assert "user_id" not in line and "company_schema" not in line


def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(client, db):
    kept = "3f2b9c1e-7a4d-4e8b-9c0a-1b2c3d4e5f60"
    assert client.get("/salud/", headers={"X-Request-ID": kept})["X-Request-ID"] == kept
    for bad in ("", "short", "a b c d e f g h", "x" * 65, "id\nforged=1", '"><script>'):
        made = request_id_from(bad)
        assert made != bad and len(made) == 32 and made.isalnum()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_queue")
def test_a_task_queued_during_a_request_logs_its_task_id_and_the_request_id():
    from accountant_portal.celery import app
    from core.tasks import stalled_work_requeue_task

    # The worker sets the log level and configures logging as it starts: the capture is attached after that.
    worker = start_worker(
        app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10, loglevel="INFO"
    )
    with (
        worker,
        captured_json() as json_lines,
    ):
        with bound(request_id="req-0123456789abcdef"):
            result = stalled_work_requeue_task.delay()

        def task_lines():
            return [line for line in json_lines() if line.get("task_id") == result.id]

        assert wait_for(lambda: any("succeeded" in line["message"] for line in task_lines()), 20)
        assert {line["request_id"] for line in task_lines()} == {"req-0123456789abcdef"}
        assert {line["task"] for line in task_lines()} == {"core.tasks.stalled_work_requeue_task"}
