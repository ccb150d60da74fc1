"""The activity log as an XLSX file (core.xlsx writes formula-like text as text)."""

import json
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.l10n import format_datetime
from core.xlsx import xlsx_stream

from .models import AuditEvent
from .services.audit import action_label

# A firm's two years of activity fit; a larger export would be a job with a progress page.
ACTIVITY_EXPORT_MAX_ROWS = 100_000


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _rows(events: Iterable[AuditEvent]):
    headers = [
        _("When"),
        _("Who"),
        _("Company"),
        _("Action"),
        _("Object"),
        _("Summary"),
        _("Before"),
        _("After"),
    ]
    yield [(header, "bold") for header in headers]
    for event in events:
        yield [
            (format_datetime(event.at, seconds=True), "text"),
            (event.actor_email or _("System"), "text"),
            (event.company_name, "text"),
            (action_label(event.action), "text"),
            (event.display_object_label, "text"),
            (event.display_summary, "text"),
            (_json(event.before), "text"),
            (_json(event.after), "text"),
        ]


def activity_xlsx(events: QuerySet[AuditEvent]) -> bytes:
    """The filtered log, newest first, at most ACTIVITY_EXPORT_MAX_ROWS rows."""
    return xlsx_stream(
        _rows(events[:ACTIVITY_EXPORT_MAX_ROWS].iterator(chunk_size=2000)),
        sheet_name=_("Activity log"),
        freeze_rows=1,
        widths=[20, 30, 36, 30, 36, 50, 30, 30],
    )
