"""Reading the companies spreadsheet: CSV (any Spanish-locale export) or XLSX, safely.

Every problem with the file as a whole raises FileProblem with a message for the accountant; the
rows come out as dicts keyed by column ("name", "tax_id", "phone", "email", "country").
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An .xlsx is a zip: its entries are checked before openpyxl opens it.
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
# Rows read from a sheet, blank ones included, and columns read from a row: a list of companies needs fewer.
MAX_SHEET_ROWS = 20_000
MAX_COLUMNS = 50
MAX_HEADER_CHARS = 10_000
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
    """The file's companies, or FileProblem: never another exception, whatever the bytes."""
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
        if is_zip:
            raise _not_text()
        table = _csv_rows(_decode(data))
    else:
        raise FileProblem(
            _(
                "“%(name)s” is not a supported format. Upload the template as .xlsx or .csv "
                "(an old .xls or an .ods: save it as .xlsx first)."
            )
            % {"name": file_name}
        )
    return _read_table(table)


def _not_text() -> FileProblem:
    return FileProblem(
        _("The file says it is a CSV but it is not text (it may be an Excel workbook: name it .xlsx).")
    )


def _damaged_workbook() -> FileProblem:
    return FileProblem(_("The Excel file is damaged and cannot be read. Save it again as .xlsx."))


def _xlsx_rows(data: bytes, sheet_name: str) -> list[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception:  # zipfile raises BadZipFile, NotImplementedError, ValueError... on damaged archives
        raise _damaged_workbook() from None
    total = sum(entry.file_size for entry in entries)
    too_compressed = any(entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1) for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or total > MAX_XLSX_UNCOMPRESSED or too_compressed:
        raise FileProblem(
            _("The Excel file is too large once uncompressed. Keep only the sheet with the companies.")
        )
    import openpyxl  # imported here: only once the zip passed the checks above

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a damaged file
        raise _damaged_workbook() from None
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
        # The sheet's XML is only parsed here, row by row: a damaged part fails now, not at opening.
        rows = sheet.iter_rows(values_only=True)
        return _read_rows([_cell_text(value) for value in values] for values in rows)
    except FileProblem:
        raise
    except Exception:
        raise _damaged_workbook() from None
    finally:
        try:
            workbook.close()
        except Exception:  # noqa: S110 - closing a damaged archive must not hide the message above
            pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a NIT or phone typed as a number
    return str(value).strip()


# A UTF-8 multi-byte character: a file that has them is UTF-8, even if one byte is broken.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _decode(data: bytes) -> str:
    """The text of a CSV: UTF-16 (Excel's "Texto Unicode"), UTF-8, or Windows-1252 (Excel in Spanish)."""
    utf16 = _utf16_codec(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as error:
            raise _encoding_problem(data, error, "UTF-16") from None
    if b"\x00" in data[:4096]:
        raise _not_text()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if UTF8_SEQUENCE.search(data):
            raise _encoding_problem(data, error, "UTF-8") from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # decodes any byte


def _utf16_codec(data: bytes) -> str:
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"  # reads the byte order from the BOM, then drops it
    head = data[:1000]
    even, odd = head[0::2], head[1::2]
    # Latin text in UTF-16 without a BOM: every other byte is NUL.
    if len(head) >= 8 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(head) >= 8 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return ""


def _encoding_problem(data: bytes, error: UnicodeDecodeError, encoding: str) -> FileProblem:
    line = data.count(b"\n", 0, error.start) + 1
    return FileProblem(
        _(
            "Line %(line)s of the file is not valid %(encoding)s text (an unexpected byte, "
            "%(byte)s). Correct that line, or save the file again as “CSV UTF-8”."
        )
        % {"line": line, "encoding": encoding, "byte": f"0x{data[error.start]:02X}"}
    )


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    header_line = next((line for line in text.splitlines() if line.strip()), "")[:MAX_HEADER_CHARS]
    reader = None
    try:
        delimiter = max(
            DELIMITERS, key=lambda d: _known_headers(next(csv.reader([header_line], delimiter=d), []))
        )
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _read_rows([cell.strip() for cell in row] for row in reader)
    except csv.Error:
        raise FileProblem(
            _(
                "The file cannot be read as CSV from line %(line)s: a quoted cell is not closed, "
                "or a cell is far too long. Open it in Excel and save it again as CSV."
            )
            % {"line": reader.line_num if reader is not None else 1}
        ) from None


def _too_many() -> FileProblem:
    return FileProblem(_("The file has more than 5,000 companies. Split it into smaller files."))


# Control characters a spreadsheet cannot hold (C0 but tab and newlines; NUL is refused apart).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def _read_rows(rows_in) -> list[tuple[int, list[str]]]:
    """The table's rows that are not blank, numbered as the spreadsheet numbers them (from 1).

    Stops with a FileProblem once there are more companies than allowed, or more rows in all (blank
    ones included) than a sheet of companies can have: millions of empty rows are refused, not read.
    """
    rows, filled = [], 0
    for number, row in enumerate(rows_in, start=1):
        if number > MAX_SHEET_ROWS:
            raise FileProblem(
                _(
                    "The sheet has more than %(limit)s rows, counting the empty ones. Delete the empty "
                    "rows below the companies, or copy the companies into a new sheet."
                )
                % {"limit": number_format(MAX_SHEET_ROWS, force_grouping=True)}
            )
        if not any(row):
            continue
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            raise FileProblem(
                _("Row %(number)s has more than %(limit)s columns. Use the template's columns.")
                % {"number": number, "limit": MAX_COLUMNS}
            )
        if any("\x00" in cell for cell in row):
            raise FileProblem(
                _(
                    "Row %(number)s contains a NUL character, which a list of companies cannot "
                    "have: the file may be damaged. Save it again as .xlsx or CSV."
                )
                % {"number": number}
            )
        filled += 1
        if filled > MAX_ROWS + 1:  # the header and MAX_ROWS companies; blank rows do not count
            raise _too_many()
        rows.append((number, [CONTROL_CHARACTERS.sub("", cell) for cell in row[:MAX_COLUMNS]]))
    return rows


def _known_headers(cells: list[str]) -> int:
    return sum(1 for cell in cells if normalize_header(cell) in HEADER_KEYS)


def _read_table(table: list[tuple[int, list[str]]]) -> Spreadsheet:
    if not table:
        raise FileProblem(_("The file is empty."))
    (_number, header), body = table[0], table[1:]
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown = []
    for position, cell in enumerate(header):
        if not cell:
            continue
        key = HEADER_KEYS.get(normalize_header(cell))
        if key is None:
            unknown.append(cell[:100])
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
            % {"columns": ", ".join(f"“{name}”" for name in unknown[:10])}
        )
    spreadsheet = Spreadsheet(columns=columns)
    for number, row in body:
        values = {key: (row[pos] if pos < len(row) else "").strip() for key, pos in positions.items()}
        if any(values.values()):
            spreadsheet.rows.append(SpreadsheetRow(number=number, values=values))
    if not spreadsheet.rows:
        raise FileProblem(_("The file has the headers but no company below them."))
    if len(spreadsheet.rows) > MAX_ROWS:
        raise _too_many()
    return spreadsheet
