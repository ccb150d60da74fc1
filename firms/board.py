"""The portfolio board as files (CSV and XLSX) and the words of its alerts."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.l10n import format_date, format_datetime, shipped_name
from core.spreadsheets import csv_bytes, csv_value, csv_writer
from core.xlsx import xlsx_stream

from .models import CompanyAccess, CompanySnapshot


def row_snapshot(access: CompanyAccess) -> CompanySnapshot | None:
    """The snapshot read with the row (select_related), or None: a request, or a company not refreshed yet."""
    if access.company is None:
        return None
    try:
        return access.company.snapshot
    except CompanySnapshot.DoesNotExist:
        return None


def row_alerts(access: CompanyAccess) -> list[str]:
    """The row's alerts in words (the flags were computed by the board's query)."""
    snapshot = row_snapshot(access)
    alerts = []
    if getattr(access, "alert_nature", False) and snapshot:
        if snapshot.against_nature_count:
            alerts.append(_("Balances against their nature: %(codes)s") % {"codes": snapshot.against_nature})
        if snapshot.negative_receivables_count:
            alerts.append(
                _("Negative receivables: %(terceros)s") % {"terceros": snapshot.negative_receivables}
            )
    if getattr(access, "alert_drafts", False) and snapshot:
        alerts.append(_("Drafts older than 30 days"))
    if getattr(access, "alert_due", False) and snapshot:
        alerts.append(
            _("Due %(date)s: %(obligation)s")
            % {
                "date": format_date(snapshot.next_due_date),
                "obligation": shipped_name("tax_obligation", snapshot.next_due_obligation),
            }
        )
    return alerts


# The board's columns a user may hide (key, label), in their order on the page; the company, its alerts and
# the actions always show. The keys are the sort keys (firms.selectors.SORT_COLUMNS) and the cells' data-col.
BOARD_COLUMNS = [
    ("status", gettext_lazy("Status")),
    ("responsible", gettext_lazy("Responsable")),
    ("last_entry", gettext_lazy("Last comprobante")),
    ("drafts", gettext_lazy("Drafts")),
    ("locked", gettext_lazy("Closed up to")),
    ("banks", gettext_lazy("Banks")),
    ("receivables", gettext_lazy("Receivables")),
    ("payables", gettext_lazy("Suppliers")),
    ("taxes", gettext_lazy("Taxes payable")),
    ("result", gettext_lazy("Result of the year")),
    ("due", gettext_lazy("Next DIAN due date")),
]
BOARD_COLUMN_KEYS = [key for key, _label in BOARD_COLUMNS]


def board_hidden_columns(user) -> list[str]:
    """The columns the user hid, in the page's order (a key no longer on the board is ignored)."""
    hidden = set(getattr(user, "board_hidden_columns", None) or ())
    return [key for key in BOARD_COLUMN_KEYS if key in hidden]


# The files' columns (every one, whatever the page shows).
COLUMNS = [
    (gettext_lazy("Company"), "text"),
    (gettext_lazy("Tax ID"), "text"),
    (gettext_lazy("Link status"), "text"),
    (gettext_lazy("Invitation"), "text"),
    (gettext_lazy("Responsable"), "text"),
    (gettext_lazy("Last comprobante"), "date"),
    (gettext_lazy("Comprobante"), "text"),
    (gettext_lazy("Posted by"), "text"),
    (gettext_lazy("Drafts"), "number"),
    (gettext_lazy("Closed up to"), "date"),
    (gettext_lazy("Banks"), "money"),
    (gettext_lazy("Receivables"), "money"),
    (gettext_lazy("Suppliers"), "money"),
    (gettext_lazy("Taxes payable"), "money"),
    (gettext_lazy("Result of the year"), "money"),
    (gettext_lazy("Year"), "number"),
    (gettext_lazy("Next DIAN due date"), "date"),
    (gettext_lazy("Obligation"), "text"),
    (gettext_lazy("Alerts"), "text"),
    (gettext_lazy("Refreshed at"), "text"),
]


def _values(access: CompanyAccess) -> list:
    snap = row_snapshot(access)

    def figure(name):
        return getattr(snap, name) if snap and snap.refreshed_at else None

    refreshed = figure("refreshed_at")
    return [
        access.name,
        access.formatted_tax_id,
        access.status_label,
        access.invitation_label if access.invitation_status else "",
        access.responsible_name or "",
        figure("last_entry_date"),
        figure("last_entry_label") or "",
        figure("last_entry_by") or "",
        figure("drafts"),
        figure("locked_until"),
        figure("banks"),
        figure("receivables"),
        figure("payables"),
        figure("taxes_payable"),
        figure("result"),
        figure("result_year"),
        figure("next_due_date"),
        shipped_name("tax_obligation", figure("next_due_obligation") or ""),
        " · ".join(row_alerts(access)),
        format_datetime(refreshed),
    ]


def board_csv(accesses) -> bytes:
    """In the reader's language (core.spreadsheets: semicolons and decimal commas in Spanish), UTF-8 with BOM;
    formula-like text stays text."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([str(label) for label, _style in COLUMNS])
    for access in accesses.iterator(chunk_size=1000):
        writer.writerow(
            [csv_value(value, style) for value, (_label, style) in zip(_values(access), COLUMNS, strict=True)]
        )
    return csv_bytes(buffer)


def board_xlsx(accesses) -> bytes:
    def rows():
        yield [(str(label), "bold") for label, _style in COLUMNS]
        for access in accesses.iterator(chunk_size=1000):
            yield [(value, style) for value, (_label, style) in zip(_values(access), COLUMNS, strict=True)]

    return xlsx_stream(rows(), sheet_name=_("Client board"), freeze_rows=1, widths=[40, 16])
