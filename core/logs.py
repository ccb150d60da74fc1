"""Structured logs: one line per request, and the same request id on every line a request or its tasks write.

The request id comes from a sane incoming X-Request-ID (a proxy's) or is made here; it goes back in the
response's X-Request-ID header, into the headers of every Celery task queued while the request runs, and
from there into the worker's log lines for that task (accountant_portal.celery connects the signals).
"""

import json
import logging
import re
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id may look like: a UUID, a hex string or a similar short token; anything else is replaced.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")
# The fields a log line carries from where it was written (a request, a task), in this order.
CONTEXT_FIELDS = ("request_id", "task_id", "task", "user_id", "workspace_id", "company_schema")

_context: ContextVar[dict | None] = ContextVar("log_context", default=None)
request_logger = logging.getLogger("portal.request")


def log_context() -> dict:
    """The current request's or task's ids (empty outside both)."""
    return dict(_context.get() or {})


def current_request_id() -> str | None:
    return (_context.get() or {}).get("request_id")


@contextmanager
def bound(**fields):
    """Log lines written inside carry these fields (and the ones already bound)."""
    token = _context.set({**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def request_id_from(value: str | None) -> str:
    """The incoming id if it looks like one (a proxy made it), else a new one: a header is never trusted
    as it is, as it ends up in every log line."""
    if value and SANE_REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """First in the chain: gives the request its id and writes one line when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started, cpu_started = time.perf_counter(), time.thread_time()
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        with bound(request_id=request.request_id):
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # This thread's CPU: what the request cost, apart from waiting for the database or a core.
                    "cpu_ms": round((time.thread_time() - cpu_started) * 1000, 1),
                    **_who(request),
                },
            )
        return response


def _who(request) -> dict:
    """Who asked and where: read only from what the middleware already loaded (no extra query)."""
    user = getattr(request, "_cached_user", None)  # set once something read request.user
    workspace = getattr(request, "workspace", None)
    company = getattr(request, "company", None)
    return {
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "workspace_id": workspace.pk if workspace is not None else None,
        "company_schema": company.schema_name if company is not None else None,
    }


class ContextFilter(logging.Filter):
    """Puts the bound ids on every record, so any line written during a request or a task carries them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in log_context().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, None)
        return True


# Attributes every LogRecord has: the rest were given through `extra` and belong in the line.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the bound ids and the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # The ids first, so that they stay in view before a long `data` field.
        fields = vars(record)
        for name in (*CONTEXT_FIELDS, *fields):
            value = fields.get(name)
            if name not in _RECORD_ATTRIBUTES and name not in line and value is not None and name[0] != "_":
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Development: a readable line, with the request id and task id when there are."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        ids = " ".join(
            f"{name}={getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None
        )
        return f"{text} [{ids}]" if ids else text


# Celery: the request id travels in the task's message headers (connected in accountant_portal.celery).


def task_publish_add_request_id(headers=None, **kwargs) -> None:
    """before_task_publish: a task queued while a request (or a task) runs carries that request's id."""
    request_id = current_request_id()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


_task_tokens: dict = {}


def task_prerun_bind(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the worker's log lines for this task carry its id and the request id it came with."""
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get(
        "request_id"
    )
    fields = {"task_id": task_id, "task": getattr(task, "name", None), "request_id": request_id}
    _task_tokens[task_id] = _context.set({k: v for k, v in fields.items() if v is not None})


def task_postrun_unbind(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _context.reset(token)
        except ValueError:  # set in another context (a pool that moved the task): just clear
            _context.set(None)
