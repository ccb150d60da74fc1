"""The activity log: every service that writes calls `audit_record` inside its own transaction.

Who acted comes from the argument or, while a request is served, from the request's user (set by
AuditActorMiddleware through `audit_actor`); the company, when not given, from the connection's tenant.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection

from .models import AuditEvent, Company, Workspace

# The request (or user) events are attributed to; a request's user is read only when an event is recorded.
_source: ContextVar = ContextVar("audit_source", default=None)


@contextmanager
def audit_actor(source):
    """Events recorded inside the block are attributed to `source` (a user, or a request whose user is
    read lazily) unless the service names the actor."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def _current_actor():
    source = _source.get()
    user = getattr(source, "user", source)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _current_company() -> Company | None:
    tenant = getattr(connection, "tenant", None)
    return tenant if isinstance(tenant, Company) else None


def audit_record(
    *,
    action: str,
    actor=None,
    workspace: Workspace | None = None,
    company: Company | None = None,
    target: Any = None,
    object_type: str = "",
    object_label: str = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Record one event. Call it inside the service's transaction, so the event and the change it
    describes commit (or roll back) together. `target` is the model instance acted on, if any;
    `before`/`after` are short JSON-able summaries of what changed."""
    actor = actor if actor is not None else _current_actor()
    company = company if company is not None else _current_company()
    if target is not None:
        object_type = object_type or target._meta.model_name
        object_label = object_label or str(target)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        workspace=workspace,
        company=company,
        company_name=company.name[:200] if company is not None else "",
        object_type=object_type[:60],
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_label=object_label[:200],
        summary=summary[:500],
        before=before,
        after=after,
    )
