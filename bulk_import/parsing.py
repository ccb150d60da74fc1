"""Reading the companies spreadsheet: CSV (any Spanish-locale export) or XLSX, safely.

Every problem with the file as a whole raises FileProblem with a message for the accountant; the
rows come out as dicts keyed by column ("name", "tax_id", "phone", "email", "country").
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx is a zip: its entries are checked before openpyxl opens it.
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")

REQUIRED = ("name", "tax_id")
# The template's headers (the file format speaks Spanish, like the accountants who fill it in).
TEMPLATE_COLUMNS = {
    "name": "Nombre de la empresa",
    "tax_id": "NIT o identificación",
    "phone": "Teléfono celular (opcional)",
    "email": "Correo electrónico (opcional)",
    "country": "País (opcional)",
}
# Accepted headers, compared without accents, case, punctuation or "(opcional)".
HEADERS = {
    "name": {
        "nombre de la empresa",
        "nombre empresa",
        "nombre",
        "empresa",
        "razon social",
        "company name",
        "company",
        "name",
        "business name",
    },
    "tax_id": {
        "nit o identificacion",
        "nit",
        "identificacion",
        "nit o identificacion tributaria",
        "identificacion tributaria",
        "numero de identificacion",
        "tax id",
        "taxid",
        "tax id number",
        "nit or tax id",
        "tax identification number",
    },
    "phone": {
        "telefono celular",
        "telefono",
        "celular",
        "movil",
        "telefono movil",
        "mobile phone",
        "mobile",
        "phone",
        "cell phone",
        "phone number",
    },
    "email": {"correo electronico", "correo", "email", "e mail", "mail", "email address"},
    "country": {"pais", "country"},
}


class FileProblem(Exception):
    """The file cannot be used; the message says why, for the accountant."""


@dataclass
class SpreadsheetRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict[str, str]


@dataclass
class Spreadsheet:
    columns: dict[str, str]  # key -> header as written in the file
    rows: list[SpreadsheetRow] = field(default_factory=list)


def normalize_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


HEADER_KEYS = {alias: key for key, aliases in HEADERS.items() for alias in aliases}


def parse_spreadsheet(*, file_name: str, data: bytes, sheet_name: str = "") -> Spreadsheet:
    if len(data) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 5 MB. Split it into smaller files."))
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    is_zip = data[:4] == ZIP_MAGIC
    if extension == "xlsx":
        if not is_zip:
            raise FileProblem(
                _(
                    "The file says it is an Excel workbook (.xlsx) but it is not one. "
                    "Save it again as .xlsx or .csv."
                )
            )
        table = _xlsx_rows(data, sheet_name)
    elif extension in ("csv", "txt"):
        if is_zip or b"\x00" in data[:4096]:
            raise FileProblem(
                _(
                    "The file says it is a CSV but it is not text "
                    "(it may be an Excel workbook: name it .xlsx)."
                )
            )
        table = _csv_rows(data)
    else:
        raise FileProblem(
            _(
                "“%(name)s” is not a supported format. Upload the template as .xlsx or .csv "
                "(an old .xls or an .ods: save it as .xlsx first)."
            )
            % {"name": file_name}
        )
    return _read_table(table)


def _xlsx_rows(data: bytes, sheet_name: str) -> list[list]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(
            _("The Excel file is damaged and cannot be read. Save it again as .xlsx.")
        ) from None
    total = sum(entry.file_size for entry in entries)
    too_compressed = any(entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1) for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or total > MAX_XLSX_UNCOMPRESSED or too_compressed:
        raise FileProblem(
            _("The Excel file is too large once uncompressed. Keep only the sheet with the companies.")
        )
    import openpyxl  # imported here: only once the zip passed the checks above

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileProblem(
            _("The Excel file is damaged and cannot be read. Save it again as .xlsx.")
        ) from None
    try:
        if sheet_name:
            if sheet_name not in workbook.sheetnames:
                raise FileProblem(
                    _("The workbook has no sheet called “%(sheet)s”. Its sheets are: %(sheets)s.")
                    % {"sheet": sheet_name, "sheets": ", ".join(workbook.sheetnames)}
                )
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read_only mode trusts the stored dimensions, which may cut rows
        return _read_rows(
            [_cell_text(value) for value in values] for values in sheet.iter_rows(values_only=True)
        )
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a NIT or phone typed as a number
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Spanish saves CSV as Windows-1252; latin-1 decodes anything left.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max(DELIMITERS, key=lambda d: _known_headers(next(csv.reader([header_line], delimiter=d))))
    return _read_rows(
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    )


def _too_many() -> FileProblem:
    return FileProblem(_("The file has more than 5,000 companies. Split it into smaller files."))


def _read_rows(rows_in) -> list[list[str]]:
    """The table's rows; stops with a FileProblem once there are more companies than allowed."""
    rows, filled = [], 0
    for row in rows_in:
        rows.append(row)
        if any(row):
            filled += 1
            if filled > MAX_ROWS + 1:  # the header and MAX_ROWS companies; blank rows do not count
                raise _too_many()
    return rows


def _known_headers(cells: list[str]) -> int:
    return sum(1 for cell in cells if normalize_header(cell) in HEADER_KEYS)


def _read_table(table: list[list]) -> Spreadsheet:
    start = next((i for i, row in enumerate(table) if any(cell for cell in row)), None)
    if start is None:
        raise FileProblem(_("The file is empty."))
    header = table[start]
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown = []
    for position, cell in enumerate(header):
        if not cell:
            continue
        key = HEADER_KEYS.get(normalize_header(cell))
        if key is None:
            unknown.append(cell)
        elif key in columns:
            raise FileProblem(_("The column “%(column)s” appears twice.") % {"column": cell})
        else:
            columns[key], positions[key] = cell, position
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise FileProblem(
            _("Required columns are missing: %(columns)s. Use the template's headers on the first row.")
            % {"columns": ", ".join(f"“{TEMPLATE_COLUMNS[key]}”" for key in missing)}
        )
    if unknown:
        raise FileProblem(
            _(
                "The file has columns the template does not know: %(columns)s. "
                "Remove them or use the template."
            )
            % {"columns": ", ".join(f"“{name}”" for name in unknown)}
        )
    spreadsheet = Spreadsheet(columns=columns)
    for offset, row in enumerate(table[start + 1 :], start=start + 2):
        values = {key: (row[pos] if pos < len(row) else "").strip() for key, pos in positions.items()}
        if any(values.values()):
            spreadsheet.rows.append(SpreadsheetRow(number=offset, values=values))
    if not spreadsheet.rows:
        raise FileProblem(_("The file has the headers but no company below them."))
    if len(spreadsheet.rows) > MAX_ROWS:
        raise _too_many()
    return spreadsheet
