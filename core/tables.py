"""Reading a table of rows that accountants upload, CSV (any Spanish-locale export) or XLSX, safely.

The columns are described by a TableSpec (headers matched loosely: accents, case, punctuation and anything in
parentheses do not count). Every problem with the file as a whole raises FileProblem with a message for the
accountant; nothing else escapes, whatever the bytes. The rows come out as dicts keyed by column; CSV cells
are text, XLSX cells keep their type (numbers, dates) when the spec asks for it.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# An .xlsx is a zip: its entries are checked before openpyxl opens it.
MAX_XLSX_ENTRIES = 200
MAX_XLSX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 50
MAX_HEADER_CHARS = 10_000
DELIMITERS = (";", ",", "\t")
# Control characters a spreadsheet cannot hold (C0 but tab and newlines; NUL is refused apart).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")
# A UTF-8 multi-byte character: a file that has them is UTF-8, even if one byte is broken.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")

Cell = str | int | float | datetime | date


class FileProblem(Exception):
    """The file cannot be used; the message says why, for the accountant."""


def normalize_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class TableSpec:
    """The columns of a kind of file: key -> the template's header, other accepted headers, limits."""

    headers: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    max_rows: int  # rows with data, the header not counted
    max_bytes: int
    typed_cells: bool = False  # XLSX numbers and dates stay numbers and dates
    no_rows: str = ""  # what a file with headers and no row below them is told (lazy text); generic if empty

    @property
    def header_keys(self) -> dict[str, str]:
        keys = {normalize_header(header): key for key, header in self.headers.items()}
        keys |= {normalize_header(alias): key for key, aliases in self.aliases.items() for alias in aliases}
        return keys

    @property
    def max_sheet_rows(self) -> int:
        """Rows read from a sheet, blank ones included: millions of empty rows are refused, not read."""
        return max(4 * self.max_rows, 20_000)


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict[str, Cell]


@dataclass
class Table:
    columns: dict[str, str]  # key -> header as written in the file
    rows: list[Row] = field(default_factory=list)


def read_table(*, spec: TableSpec, file_name: str, data: bytes, sheet_name: str = "") -> Table:
    """The file's rows, or FileProblem: never another exception, whatever the bytes."""
    if len(data) > spec.max_bytes:
        raise FileProblem(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": spec.max_bytes // (1024 * 1024)}
        )
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
        table = _xlsx_rows(spec, data, sheet_name)
    elif extension in ("csv", "txt"):
        if is_zip:
            raise _not_text()
        table = _csv_rows(spec, _decode(data))
    else:
        raise FileProblem(
            _(
                "“%(name)s” is not a supported format. Upload the template as .xlsx or .csv "
                "(an old .xls or an .ods: save it as .xlsx first)."
            )
            % {"name": file_name}
        )
    return _read_table(spec, table)


def _not_text() -> FileProblem:
    return FileProblem(
        _("The file says it is a CSV but it is not text (it may be an Excel workbook: name it .xlsx).")
    )


def _damaged_workbook() -> FileProblem:
    return FileProblem(_("The Excel file is damaged and cannot be read. Save it again as .xlsx."))


def _xlsx_rows(spec: TableSpec, data: bytes, sheet_name: str) -> list[tuple[int, list[Cell]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception:  # zipfile raises BadZipFile, NotImplementedError, ValueError... on damaged archives
        raise _damaged_workbook() from None
    total = sum(entry.file_size for entry in entries)
    too_compressed = any(entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1) for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or total > 10 * spec.max_bytes or too_compressed:
        raise FileProblem(
            _("The Excel file is too large once uncompressed. Keep only the sheet with the data.")
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
        cell = _typed_cell if spec.typed_cells else _cell_text
        rows = sheet.iter_rows(values_only=True)
        return _read_rows(spec, ([cell(value) for value in values] for values in rows))
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


def _typed_cell(value) -> Cell:
    if isinstance(value, bool) or value is None:
        return _cell_text(value)
    if isinstance(value, int | float | datetime | date):
        return value
    return _cell_text(value)


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


def _csv_rows(spec: TableSpec, text: str) -> list[tuple[int, list[Cell]]]:
    header_line = next((line for line in text.splitlines() if line.strip()), "")[:MAX_HEADER_CHARS]
    keys = spec.header_keys
    reader = None

    def known(cells):
        return sum(1 for cell in cells if normalize_header(cell) in keys)

    try:
        delimiter = max(DELIMITERS, key=lambda d: known(next(csv.reader([header_line], delimiter=d), [])))
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _read_rows(spec, ([cell.strip() for cell in row] for row in reader))
    except csv.Error:
        raise FileProblem(
            _(
                "The file cannot be read as CSV from line %(line)s: a quoted cell is not closed, "
                "or a cell is far too long. Open it in Excel and save it again as CSV."
            )
            % {"line": reader.line_num if reader is not None else 1}
        ) from None


def _too_many(spec: TableSpec) -> FileProblem:
    return FileProblem(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": number_format(spec.max_rows, force_grouping=True)}
    )


def _read_rows(spec: TableSpec, rows_in) -> list[tuple[int, list[Cell]]]:
    """The table's rows that are not blank, numbered as the spreadsheet numbers them (from 1)."""
    rows, filled = [], 0
    for number, row in enumerate(rows_in, start=1):
        if number > spec.max_sheet_rows:
            raise FileProblem(
                _(
                    "The sheet has more than %(limit)s rows, counting the empty ones. Delete the empty "
                    "rows below the data, or copy the data into a new sheet."
                )
                % {"limit": number_format(spec.max_sheet_rows, force_grouping=True)}
            )
        if not any(cell != "" for cell in row):
            continue
        if len(row) > MAX_COLUMNS and any(cell != "" for cell in row[MAX_COLUMNS:]):
            raise FileProblem(
                _("Row %(number)s has more than %(limit)s columns. Use the template's columns.")
                % {"number": number, "limit": MAX_COLUMNS}
            )
        if any(isinstance(cell, str) and "\x00" in cell for cell in row):
            raise FileProblem(
                _(
                    "Row %(number)s contains a NUL character, which a spreadsheet cannot hold: the file "
                    "may be damaged. Save it again as .xlsx or CSV."
                )
                % {"number": number}
            )
        filled += 1
        if filled > spec.max_rows + 1:  # the header and the rows; blank rows do not count
            raise _too_many(spec)
        cells = [CONTROL_CHARACTERS.sub("", cell) if isinstance(cell, str) else cell for cell in row]
        rows.append((number, cells[:MAX_COLUMNS]))
    return rows


def _read_table(spec: TableSpec, table: list[tuple[int, list[Cell]]]) -> Table:
    if not table:
        raise FileProblem(_("The file is empty."))
    (_number, header), body = table[0], table[1:]
    keys = spec.header_keys
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown = []
    for position, cell in enumerate(header):
        cell = _cell_text(cell)
        if not cell:
            continue
        key = keys.get(normalize_header(cell))
        if key is None:
            unknown.append(cell[:100])
        elif key in columns:
            raise FileProblem(_("The column “%(column)s” appears twice.") % {"column": cell})
        else:
            columns[key], positions[key] = cell, position
    missing = [key for key in spec.required if key not in columns]
    if missing:
        raise FileProblem(
            _("Required columns are missing: %(columns)s. Use the template's headers on the first row.")
            % {"columns": ", ".join(f"“{spec.headers[key]}”" for key in missing)}
        )
    if unknown:
        raise FileProblem(
            _(
                "The file has columns the template does not know: %(columns)s. "
                "Remove them or use the template."
            )
            % {"columns": ", ".join(f"“{name}”" for name in unknown[:10])}
        )
    result = Table(columns=columns)
    for number, row in body:
        values = {key: _stripped(row[pos] if pos < len(row) else "") for key, pos in positions.items()}
        if any(value != "" for value in values.values()):
            result.rows.append(Row(number=number, values=values))
    if not result.rows:
        raise FileProblem(str(spec.no_rows) or _("The file has the headers but no rows below them."))
    return result


def _stripped(cell: Cell) -> Cell:
    return cell.strip() if isinstance(cell, str) else cell
