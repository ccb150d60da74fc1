"""The calendar as files: CSV and XLSX of a list, and the private ICS feed."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook

from core.l10n import spreadsheet_date_format
from core.spreadsheets import csv_bytes, csv_writer, safe_cell, safe_csv_value
from core.urls import absolute_url

from .selectors import CompanyDueDate


def _status(due: CompanyDueDate) -> str:
    return _("filed") if due.filed else _("overdue") if due.overdue else _("pending")


def _rows(due_dates: list[CompanyDueDate]) -> tuple[list[str], list[list]]:
    headers = [
        _("Due date"),
        _("Company"),
        _("NIT"),
        _("Obligation"),
        _("Period"),
        _("Status"),
        _("Legal basis"),
    ]
    rows = [
        [
            d.due_date,
            d.company.name,
            d.company.formatted_tax_id,
            d.obligation.display_name,
            d.period,
            _status(d),
            d.obligation.legal_basis,
        ]
        for d in due_dates
    ]
    return headers, rows


def due_dates_csv(due_dates: list[CompanyDueDate]) -> bytes:
    headers, rows = _rows(due_dates)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_csv_value(row[0].isoformat()), *(safe_csv_value(value) for value in row[1:])])
    return csv_bytes(buffer)


def due_dates_xlsx(due_dates: list[CompanyDueDate]) -> bytes:
    headers, rows = _rows(due_dates)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tax calendar")
    for column, header in enumerate(headers, start=1):
        safe_cell(sheet.cell(row=1, column=column), header)
    for line, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            safe_cell(sheet.cell(row=line, column=column), value)
        # a real date: sorts and filters as one
        sheet.cell(row=line, column=1).number_format = spreadsheet_date_format().upper()
    sheet.column_dimensions["A"].width = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def due_dates_ics(due_dates: list[CompanyDueDate]) -> bytes:
    """One all-day event per due date; stable UIDs so that calendar apps update instead of duplicating."""
    calendar = Calendar()
    calendar.add("prodid", "-//Portal Contador//Calendario tributario//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Tax calendar · Portal Contador"))
    stamp = timezone.now()
    for due in due_dates:
        event = Event()
        event.add("uid", f"{due.company.pk}-{due.obligation.code}-{due.period}@portalcontador")
        event.add("dtstamp", stamp)
        event.add("dtstart", due.due_date)
        event.add("dtend", due.due_date + timedelta(days=1))
        event.add("summary", f"{due.obligation.display_name} · {due.company.name}")
        lines = [
            f"{_('Period')}: {due.period}",
            f"{_('NIT')}: {due.company.formatted_tax_id}",
            due.obligation.legal_basis,
            absolute_url(reverse("company:calendar", kwargs={"company_slug": due.company.slug})),
        ]
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
