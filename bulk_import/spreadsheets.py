"""The files the accountant downloads: the template (XLSX, CSV) and the report of an import."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import csv_bytes, csv_writer, safe_cell

from .models import ImportJob
from .parsing import TEMPLATE_COLUMNS


def _bold_header(sheet, headers) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        safe_cell(cell, header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(18, len(header) + 4)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Empresas"
    _bold_header(sheet, list(TEMPLATE_COLUMNS.values()))
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions"))
    lines = [
        _("How to fill in the template"),
        _("One company per row, from row 2 of the sheet “Empresas”. Do not change the headers."),
        _("Nombre de la empresa: the company's legal name. Required."),
        _(
            "NIT o identificación: with its check digit; 900.123.456-8, 9001234568 and 900123456 8 "
            "all work. Required."
        ),
        _("Teléfono celular: the client's mobile number. Optional."),
        _(
            "Correo electrónico: the client's e-mail. Optional: with it, the client receives an "
            "invitation to activate their account."
        ),
        _(
            "País: the company's country version (Colombia, México, Perú...). Optional: your "
            "workspace's country by default."
        ),
        _(
            "You will see every row checked before anything is created, and you can correct the file "
            "and upload it again."
        ),
    ]
    for number, line in enumerate(lines, start=1):
        safe_cell(notes.cell(row=number, column=1), line)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 120
    return _save(workbook)


def template_csv() -> bytes:
    # In the reader's language (semicolons in Spanish, as Excel in Spanish opens it), with a BOM; the import
    # reads semicolons, commas and tabs alike.
    buffer = io.StringIO()
    csv_writer(buffer).writerow(TEMPLATE_COLUMNS.values())
    return csv_bytes(buffer)


def report_xlsx(job: ImportJob) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Result")
    headers = [
        _("Row"),
        _("Company name"),
        _("Tax ID"),
        _("Country"),
        _("Mobile phone"),
        _("E-mail"),
        _("Outcome"),
        _("Detail"),
    ]
    _bold_header(sheet, headers)
    for line, row in enumerate(job.rows.order_by("row_number"), start=2):
        outcome = row.get_outcome_display() if row.outcome else row.get_plan_display()
        detail = " ".join(row.messages) or row.detail
        values = [
            row.row_number,
            row.name,
            row.tax_id_raw,
            row.get_country_display() if row.country else "",
            row.phone_raw,
            row.email_raw,
            outcome,
            detail,
        ]
        for column, value in enumerate(values, start=1):
            safe_cell(sheet.cell(row=line, column=column), value)
    return _save(workbook)
