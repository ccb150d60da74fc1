"""Reports as files an accountant can use: XLSX with header rows (razón social, NIT, report, period, generated
at) above one flat table with real numbers and dates, frozen headers and account codes as text; CSV in the
reader's language (core.spreadsheets: semicolons and decimal commas in Spanish, commas and points in
English). Written row by row (core.xlsx streams the sheet), so a large report never sits whole in memory;
the caller reports progress. Every table
ends with its totals row."""

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.l10n import format_datetime
from core.spreadsheets import csv_bytes, csv_value, csv_writer
from core.xlsx import xlsx_stream

HEADER_ROWS = 6  # razón social, NIT, report, period, generated at, a blank row


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text (codes too), money, date, number


@dataclass
class TableReport:
    """A report as one flat table, with what the header rows say about it."""

    title: str
    period: str
    columns: list[Column]
    rows: Iterable[list]
    start: date | None = None
    end: date | None = None


def report_file_name(report: TableReport, *, company, fmt: str) -> str:
    """What the file is, from its name: report, company (NIT without check digit), period —
    `balance-de-prueba_901555777_2026-01-01_2026-12-31.xlsx`."""
    parts = [slugify(report.title), re.sub(r"[^0-9A-Za-z]", "", company.tax_id)]
    if report.start and report.end:
        parts += [report.start.isoformat(), report.end.isoformat()]
    return "_".join(part for part in parts if part) + f".{fmt}"


def report_xlsx(report: TableReport, company, progress: Callable[[int], None] | None = None) -> bytes:
    generated = timezone.localtime()
    header = [
        company.name,
        f"{_('NIT')} {company.formatted_tax_id}",
        report.title,
        report.period,
        _("Generated on %(date)s") % {"date": format_datetime(generated)},
        "",
    ]

    def rows():
        for number, text in enumerate(header):
            yield [(text, "bold" if number == 0 else "text")]
        yield [(column.header, "bold") for column in report.columns]
        for count, row in enumerate(report.rows, start=1):
            yield [(value, column.kind) for value, column in zip(row, report.columns, strict=True)]
            if progress and count % 5000 == 0:
                progress(count)

    widths = [
        12 if column.kind in ("date", "text") and index == 0 else 16
        for index, column in enumerate(report.columns)
    ]
    return xlsx_stream(rows(), sheet_name=report.title, freeze_rows=HEADER_ROWS + 1, widths=widths)


def report_csv(report: TableReport, progress: Callable[[int], None] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([column.header for column in report.columns])
    for count, row in enumerate(report.rows, start=1):
        writer.writerow(
            [csv_value(value, column.kind) for value, column in zip(row, report.columns, strict=True)]
        )
        if progress and count % 5000 == 0:
            progress(count)
    return csv_bytes(buffer)


INLINE_ROWS = 20_000  # above this, a report's file is written by a Celery job with progress


def report_file(report: TableReport, *, fmt: str, company, progress=None) -> bytes:
    return report_xlsx(report, company, progress) if fmt == "xlsx" else report_csv(report, progress)
