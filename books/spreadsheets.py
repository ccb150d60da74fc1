"""The books' files to download: the comprobante import's template and report, the terceros list."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.l10n import csv_delimiter
from core.spreadsheets import csv_bytes, csv_writer, safe_cell

from .models import JournalImport, ThirdParty
from .services.catalogs import THIRD_PARTIES
from .services.journal_file import JOURNAL

EXAMPLE_ROWS = [
    ["CC", 1, "2026-01-31", "110505", "", "", "", "Venta de contado", "1.190.000", ""],
    [
        "CC",
        1,
        "2026-01-31",
        "413595",
        "900123456-8",
        "Cliente Ejemplo S.A.S.",
        "VEN",
        "Venta de contado",
        "",
        "1.000.000",
    ],
    ["CC", 1, "2026-01-31", "240800", "800197268-4", "DIAN", "", "IVA 19 %", "", "190.000"],
]


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(sheet, values, bold=False) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        safe_cell(cell, value)
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def journal_template_xlsx() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Comprobantes")
    sheet.freeze_panes = "A2"
    _row(sheet, list(JOURNAL.headers.values()), bold=True)
    for values in EXAMPLE_ROWS:
        _row(sheet, values)
    notes = workbook.create_sheet(_("Instructions"))
    for line in [
        _("How to fill in the template"),
        _("One row per line of a comprobante. Rows with the same type and number form one comprobante."),
        _("Tipo de comprobante: a type of the company (CC, FV, FC, RC, CE, NC, ND or its own)."),
        _("Número: the comprobante keeps it. Importing the same file again skips what is already posted."),
        _("Fecha: 2026-01-31, 31/01/2026 or an Excel date."),
        _("Cuenta: a movement account of the chart (one without sub-accounts)."),
        _("NIT del tercero and Nombre del tercero: a tercero that does not exist is created with them."),
        _("Centro de costo: its code; an unknown code is created."),
        _("Débito and Crédito: one of them per row, at most 2 decimals: 1234567.89 or 1.234.567,89."),
        _("Delete these example rows before uploading your file."),
    ]:
        _row(notes, [line])
    return _workbook_bytes(workbook)


def journal_template_csv() -> bytes:
    """In the reader's language: semicolons and 1.190.000 in Spanish; commas and plain 1190000 in English
    (the import reads both)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(JOURNAL.headers.values())
    spanish = csv_delimiter() == ";"
    for row in EXAMPLE_ROWS:
        writer.writerow(row if spanish else [*row[:8], *(value.replace(".", "") for value in row[8:])])
    return csv_bytes(buffer)


def journal_report_xlsx(job: JournalImport) -> bytes:
    """Every comprobante of the file, its rows, what happened to it and why."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Result"))
    sheet.freeze_panes = "A2"
    _row(
        sheet, [_("Type"), _("Number"), _("Rows"), _("Date"), _("Lines"), _("Result"), _("Detail")], bold=True
    )
    for entry in job.entries.order_by("position").iterator(chunk_size=2000):
        result = entry.get_outcome_display() if entry.outcome else entry.get_plan_display()
        rows = entry.rows[0] if len(entry.rows) == 1 else f"{entry.rows[0]}-{entry.rows[-1]}"
        _row(
            sheet,
            [
                entry.voucher_code,
                entry.number,
                str(rows),
                entry.day,
                len(entry.lines),
                result,
                " ".join(entry.messages),
            ],
        )
    return _workbook_bytes(workbook)


def third_parties_xlsx() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Terceros")
    sheet.freeze_panes = "A2"
    _row(sheet, list(THIRD_PARTIES.headers.values()), bold=True)
    for third_party in ThirdParty.objects.order_by(
        "business_name", "last_names", "first_names", "id"
    ).iterator():
        cells = _third_party_cells(third_party)
        _row(sheet, [cells[key] for key in THIRD_PARTIES.headers])
    return _workbook_bytes(workbook)


def _third_party_cells(third_party: ThirdParty) -> dict:
    """A tercero's cells, by the columns of the terceros file (THIRD_PARTIES, the ones the import reads)."""
    cells = {key: getattr(third_party, key) for key in THIRD_PARTIES.headers}
    cells["person_type"] = third_party.get_person_type_display()
    cells["document_type"] = third_party.get_document_type_display()
    cells["is_active"] = _("yes") if third_party.is_active else _("no")
    return cells
