"""The activity log: every service that writes calls `audit_record` inside its own transaction.

Who acted comes from the argument or, while a request is served, from the request's user (set by
AuditActorMiddleware through `audit_actor`); the company, when not given (None is given), from the
connection's tenant;
the workspace, in a company, from the way the actor reaches it (the request's grant, else one query).
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from core.l10n import format_amount, format_date, format_datetime
from core.text import end_sentence

from ..models import AuditEvent, Company, CompanyAccess, Workspace

logger = logging.getLogger(__name__)

# The vocabulary of the log: code → label. audit_record refuses any other code, so a typo fails the tests.
ACTIONS = {
    # Workspaces and plans
    "workspace.created": _("Workspace created"),
    "workspace.updated": _("Workspace data changed"),
    "plan.changed": _("Plan changed"),
    # Companies and accesses
    "company.created": _("Company created"),
    "company.updated": _("Company data changed"),
    "access.requested": _("Link request sent"),
    "access.accepted": _("Link request accepted"),
    "access.declined": _("Link request declined"),
    "access.withdrawn": _("Link request withdrawn"),
    "access.revoked": _("Access revoked"),
    # Invitations of clients
    "invitation.sent": _("Client invited"),
    "invitation.resent": _("Invitation sent again"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.declined": _("Invitation declined"),
    "invitation.revoked": _("Invitation revoked"),
    "invitation.renewal_requested": _("New invitation link asked for"),
    "invitation.delivered": _("Invitation e-mail sent"),
    "invitation.failed": _("Invitation could not be sent"),
    "invitation.expired": _("Invitation expired"),
    "invitation.closed": _("Invitation closed by another answer"),
    # Imports of companies
    "import.confirmed": _("Companies import confirmed"),
    "import.finished": _("Companies import finished"),
    "import.failed": _("Companies import failed"),
    # Team and assignments (recorded by the team's services)
    "team.member_invited": _("Team member invited"),
    "team.member_joined": _("Team member joined"),
    "team.member_removed": _("Team member removed"),
    "team.role_changed": _("Team member's role changed"),
    "assignment.added": _("Company assigned"),
    "assignment.removed": _("Company unassigned"),
    "assignment.responsible_changed": _("Responsible for a company changed"),
    # Comprobantes
    "entry.draft_saved": _("Draft comprobante saved"),
    "entry.draft_deleted": _("Draft comprobante deleted"),
    "entry.posted": _("Comprobante posted"),
    "entry.annulled": _("Comprobante annulled"),
    "entry.reversed": _("Comprobante reversed"),
    "entries.posted": _("Comprobantes posted in bulk"),
    "journal.confirmed": _("Comprobantes import confirmed"),
    # Closed periods
    "period.locked": _("Period locked"),
    "period.unlocked": _("Period unlocked"),
    "year.closed": _("Year closed"),
    "year.reopened": _("Year reopened (closing annulled)"),
    "signatures.updated": _("Signatures of the statements changed"),
    # Catalogs and chart of accounts
    "third_party.created": _("Tercero created"),
    "third_party.updated": _("Tercero changed"),
    "third_party.activated": _("Tercero activated"),
    "third_party.deactivated": _("Tercero deactivated"),
    "third_parties.imported": _("Terceros imported"),
    "cost_center.created": _("Cost center created"),
    "cost_center.updated": _("Cost center changed"),
    "voucher_type.created": _("Voucher type created"),
    "voucher_type.updated": _("Voucher type changed"),
    "account.created": _("Account created"),
    "account.updated": _("Account changed"),
    # Tax calendar
    "obligation.filed": _("Tax obligation marked as filed"),
    "obligation.unfiled": _("Tax obligation marked as not filed"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


class AuditText:
    """A summary written again in each reader's language: its English text (marked with gettext_noop, so
    that it is in the catalogue) and its parameters, kept as data: text as it is, a day, a moment and an
    amount in the reader's format, a lazy translation (a choice's label) in the reader's words.

    `AuditText(gettext_noop("Reversed by %(label)s on %(date)s"), label="FV-91", date=day)`
    """

    def __init__(self, text: str, /, **params):
        self.text = text
        self.params = params

    def as_data(self) -> dict:
        return {
            "text": self.text,
            "params": {name: _param_data(value) for name, value in self.params.items()},
        }

    def __str__(self) -> str:
        return text_render(self.as_data())


def _param_data(value):
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())  # the arguments of gettext_lazy / pgettext_lazy
        if len(args) == 1 and isinstance(args[0], str):
            return {"msgid": args[0]}
        if len(args) == 2 and all(isinstance(arg, str) for arg in args):
            return {"msgid": args[1], "context": args[0]}
        return str(value)
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"amount": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _param_text(data) -> str:
    if not isinstance(data, dict):
        return "" if data is None else str(data)
    if "msgid" in data:
        return pgettext(data["context"], data["msgid"]) if data.get("context") else gettext(data["msgid"])
    if "date" in data:
        return format_date(parse_date(data["date"]))
    if "datetime" in data:
        return format_datetime(parse_datetime(data["datetime"]))
    if "amount" in data:
        return format_amount(Decimal(data["amount"]))
    return str(data)


def _text_data(value) -> dict | None:
    """What is kept to write `value` again in each reader's language (None for plain text)."""
    if isinstance(value, Promise):
        value = AuditText("%(text)s", text=value)
    return value.as_data() if isinstance(value, AuditText) else None


def text_render(data: dict | None) -> str:
    """An AuditText's data in the active language ("" when it cannot be read: the stored text is shown)."""
    if not data:
        return ""
    try:
        text = gettext(data["text"])
        params = {name: _param_text(value) for name, value in (data.get("params") or {}).items()}
        return end_sentence(text % params if params else text)  # "… Peña S.A.S..": one period
    except (KeyError, TypeError, ValueError, ArithmeticError):
        logger.warning("Unreadable audit text %r", data)
        return ""


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
    if isinstance(tenant, Company):
        return tenant
    schema = getattr(connection, "schema_name", None)
    if not schema or schema == get_public_schema_name():
        return None
    # schema_context (tasks, commands) sets a bare schema name: find its company.
    return Company.objects.filter(schema_name=schema).first()


def _workspace_in_company(actor, company: Company) -> Workspace | None:
    """The workspace through which `actor` works on `company`; None for the company's own users."""
    grant = getattr(_source.get(), "company_grant", None)
    if grant is not None and grant.company.pk == company.pk:
        if not grant.workspaces:
            return None
        mine = getattr(_source.get(), "workspace", None)
        return mine if mine in grant.workspaces else grant.workspaces[0]
    if actor is None:
        return None
    return (
        Workspace.objects.filter(
            members__user=actor, accesses__company=company, accesses__status=CompanyAccess.Status.ACTIVE
        )
        .order_by("pk")
        .first()
    )


# Default of `company`: the connection's tenant. An explicit None means "no company" (a link request).
FROM_TENANT: Any = object()
# Default of `workspace`: the one through which the actor works on the event's company (None outside one).
IN_COMPANY: Any = object()


def audit_event(
    *,
    action: str,
    actor=None,
    workspace: Workspace | int | None = IN_COMPANY,
    company: Company | None = FROM_TENANT,
    target: Any = None,
    object_type: str = "",
    object_label: "str | Promise | AuditText" = "",
    summary: "str | Promise | AuditText" = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """An unsaved event (see audit_record); for services that record many at once with audit_record_many.
    `workspace` may be given as an id (no query to load it). `summary` and `object_label` may be an
    AuditText or a lazy translation: each reader then sees them in their own language."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to firms.services.audit.ACTIONS.")
    actor = actor if actor is not None else _current_actor()
    company = _current_company() if company is FROM_TENANT else company
    if workspace is IN_COMPANY:
        workspace = _workspace_in_company(actor, company) if company is not None else None
    texts = {
        part: data
        for part, value in (("summary", summary), ("object", object_label))
        if (data := _text_data(value))
    }
    # What is stored as text is written in the product's language, whoever acted (readers get `texts`
    # in their own).
    with translation.override(settings.LANGUAGE_CODE):
        summary = str(summary)
        if target is not None:
            object_type = object_type or target._meta.model_name
            object_label = object_label or str(target)
        object_label = str(object_label)
    return AuditEvent(
        action=action,
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        workspace_id=getattr(workspace, "pk", workspace),
        company=company,
        company_name=company.name[:200] if company is not None else "",
        object_type=object_type[:60],
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_label=object_label[:200],
        summary=end_sentence(summary)[:500],  # "… a Peña S.A.S..": one period
        texts=texts or None,
        before=before,
        after=after,
    )


def audit_record(*, action: str, **fields) -> AuditEvent:
    """Record one event. Call it inside the service's transaction, so the event and the change it
    describes commit (or roll back) together. `target` is the model instance acted on, if any;
    `before`/`after` are short JSON-able summaries of what changed. Takes audit_event's arguments.
    Raises ValueError for an action not in ACTIONS."""
    event = audit_event(action=action, **fields)
    event.save()
    return event


def audit_record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Record events made with audit_event in one INSERT (a thousand companies imported at once)."""
    return AuditEvent.objects.bulk_create(events)


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as JSON-able before/after summaries."""
    changed = [key for key in after if before.get(key) != after[key]]
    return (
        {key: _jsonable(before.get(key)) for key in changed},
        {key: _jsonable(after[key]) for key in changed},
    )


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return str(value)
