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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024
# An .xlsx is a zip: what it unpacks to is checked before openpyxl opens it, part by part, so that a small
# file cannot take a web process's memory (a 2.7 MB file whose texts unpacked to 253 MB took it from 147 to
# 408 MB). The limits keep any accepted workbook under +150 MB (bench/uploads_bench.py) and leave room for the
# largest legitimate one: 100,000 rows written by openpyxl make a 52 MB sheet.
MAX_XLSX_ENTRIES = 200
MAX_XLSX_RATIO = 200
XLSX_SHEET_LIMIT = 64 * MB  # each worksheet: read row by row
XLSX_STRINGS_LIMIT = 10 * MB  # the shared texts: all held in memory while the sheet is read
XLSX_PART_LIMIT = 1 * MB  # any other XML part (workbook, styles, theme, relations...): parsed whole
XLSX_OTHER_LIMIT = 16 * MB  # a part openpyxl never reads (images, printer settings)
XLSX_TOTAL_LIMIT = 80 * MB
# Inside the sheet that is read: a row is parsed whole, and so is what surrounds the rows.
XLSX_ROW_LIMIT = 1 * MB
XLSX_ROW_CELLS = 16_384  # Excel's columns
XLSX_OUTSIDE_ROWS_LIMIT = 1 * MB
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
XLSX_PARSED = re.compile(r"(?i).*\.(xml|rels|vml)")
XLSX_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# What the sheet scan looks for: row and cell tags (any namespace prefix), the end of the rows, and "<!"
# (a comment or CDATA, which Excel never writes in a sheet and which could hide tags from the scan).
SHEET_MARKUP = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,31}:)?(row|c|sheetData)[\s/>]|</(?:[A-Za-z_][\w.-]{0,31}:)?sheetData>|<!"
)
SHEET_MARKUP_SPAN = 48  # the longest text SHEET_MARKUP can match
ZIP_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 50
MAX_HEADER_CHARS = 10_000
DELIMITERS = (";", ",", "\t")
MAX_SEEN = 100_000  # short texts a table remembers, to give a repeated one as one string
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a line and its end, as newline="" reads them
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


TEXT = None  # in Row.cells: this column's value is the next of Row.texts


@dataclass(slots=True)
class Row:
    """One row, kept small: 100,000 rows of ten texts took 75 MB as dicts of strings, 25 MB like this."""

    number: int  # as the spreadsheet numbers it: the header is row 1
    texts: str  # the text cells, joined by NUL (which no cell holds)
    cells: tuple[Cell | None, ...]  # per column, its value, or TEXT; one tuple for the rows of texts only
    keys: tuple[str, ...]  # the table's column keys, one tuple for every row
    seen: dict[str, str]  # the table's short texts given so far: a text repeated down the file is one string

    @property
    def values(self) -> dict[str, Cell]:
        """The cells by column key, made when asked."""
        texts = iter(self.texts.split("\x00"))
        values = {}
        for key, cell in zip(self.keys, self.cells, strict=True):
            if cell is TEXT:
                cell = next(texts)
                if len(cell) <= 40 and len(self.seen) < MAX_SEEN:
                    cell = self.seen.setdefault(cell, cell)
            values[key] = cell
        return values


@dataclass
class Table:
    columns: dict[str, str]  # key -> header as written in the file
    rows: list[Row] = field(default_factory=list)

    def consume(self) -> Iterator[Row]:
        """The rows in order, each one let go as it is given: what the caller builds from them takes the
        memory they leave (a 100,000-line import held both at once)."""
        self.rows.reverse()
        while self.rows:
            yield self.rows.pop()


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
        return _xlsx_table(spec, data, sheet_name)
    if extension in ("csv", "txt"):
        if is_zip:
            raise _not_text()
        return _csv_table(spec, _decode(data))
    raise FileProblem(
        _(
            "“%(name)s” is not a supported format. Upload the template as .xlsx or .csv "
            "(an old .xls or an .ods: save it as .xlsx first)."
        )
        % {"name": file_name}
    )


def _not_text() -> FileProblem:
    return FileProblem(
        _("The file says it is a CSV but it is not text (it may be an Excel workbook: name it .xlsx).")
    )


def _damaged_workbook() -> FileProblem:
    return FileProblem(_("The Excel file is damaged and cannot be read. Save it again as .xlsx."))


def _megabytes(size: int) -> str:
    return number_format(-(-size // MB), force_grouping=True)  # rounded up: 16.2 MB is "17 MB"


def _too_large(part: str, kind: str, size: int, limit: int) -> FileProblem:
    kinds = {
        "sheet": _("a sheet"),
        "strings": _("the texts of the cells"),
        "part": _("the workbook's structure or formats"),
        "other": _("an image or other attachment"),
    }
    return FileProblem(
        _(
            "The Excel file is too large once uncompressed: “%(part)s” (%(kind)s) unpacks to %(size)s MB, "
            "more than the %(limit)s MB allowed. Keep only the sheet with the data, or save it as CSV."
        )
        % {"part": part[:100], "kind": kinds[kind], "size": _megabytes(size), "limit": _megabytes(limit)}
    )


def _check_parts(archive: zipfile.ZipFile) -> None:
    """What each part and the whole workbook unpack to, from the zip's directory: nothing is unpacked yet but
    the list of parts ([Content_Types].xml, once its own size passed), to find which part holds the texts."""
    entries = archive.infolist()
    too_compressed = any(entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1) for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or too_compressed:
        raise FileProblem(
            _("The Excel file is too large once uncompressed. Keep only the sheet with the data.")
        )
    sizes = {entry.filename: entry.file_size for entry in entries}
    manifest = "[Content_Types].xml"
    if sizes.get(manifest, 0) > XLSX_PART_LIMIT:
        raise _too_large(manifest, "part", sizes[manifest], XLSX_PART_LIMIT)
    strings = {"xl/sharedStrings.xml"} | _parts_of_type(archive, manifest, SHARED_STRINGS_TYPE)
    named = _parts_of_type(
        archive, manifest, ""
    )  # every part the manifest gives a type: openpyxl may read it
    for name, size in sizes.items():
        if name in strings:
            kind, limit = "strings", XLSX_STRINGS_LIMIT
        elif XLSX_SHEET.fullmatch(name):
            kind, limit = "sheet", XLSX_SHEET_LIMIT
        elif XLSX_PARSED.fullmatch(name) or name in named:
            kind, limit = "part", XLSX_PART_LIMIT
        else:
            kind, limit = "other", XLSX_OTHER_LIMIT
        if size > limit:
            raise _too_large(name, kind, size, limit)
    total = sum(sizes.values())
    if total > XLSX_TOTAL_LIMIT:
        raise FileProblem(
            _(
                "The Excel file is too large once uncompressed: its parts unpack to %(size)s MB, more than "
                "the %(limit)s MB allowed. Keep only the sheet with the data, or save it as CSV."
            )
            % {"size": _megabytes(total), "limit": _megabytes(XLSX_TOTAL_LIMIT)}
        )


def _parts_of_type(archive: zipfile.ZipFile, manifest: str, content_type: str) -> set[str]:
    """The parts [Content_Types].xml names with that type (any type if empty), as openpyxl finds them."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(archive.read(manifest))
    except KeyError:
        return set()
    return {
        node.get("PartName", "").lstrip("/")
        for node in root
        if node.tag.endswith("Override") and (not content_type or node.get("ContentType") == content_type)
    }


def _shared_strings(source) -> list[str]:
    """The shared texts as openpyxl reads them, without keeping each one's XML element once read (openpyxl
    keeps them all, emptied: some 80 bytes per text, 500 MB for a part of 6 million empty texts)."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag = "{%s}si" % SHEET_MAIN_NS  # noqa: UP031 - as openpyxl writes it
    strings, root = [], None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        elif event == "end" and node.tag == tag:
            strings.append(Text.from_tree(node).content.replace("x005F_", ""))
            root.clear()
    return strings


def _open_workbook(data: bytes):
    """openpyxl's read-only workbook, reading less than load_workbook: the shared texts without their XML
    elements, no chart sheets (their charts and images are parsed whole), no external links; each worksheet
    scanned (_check_sheet) before openpyxl parses it."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        def read_strings(self):
            found = self.package.find(SHARED_STRINGS)
            if found is not None:
                with self.archive.open(found.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source)

        def read_chartsheet(self, sheet, rel):
            pass  # a chart has no rows to import

        def read_worksheets(self):
            # Each worksheet is parsed once as it opens (for its size, when it does not give it first).
            for _sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    _check_sheet(self.archive, rel.target)
            super().read_worksheets()

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def _check_sheet(archive: zipfile.ZipFile, part: str) -> None:
    """A worksheet's XML, scanned before openpyxl parses it: openpyxl builds each row whole, and whatever
    surrounds the rows (columns, merged cells, validations...) as objects, so neither may be large."""
    refused = FileProblem(
        _(
            "A row of the Excel file's sheet is too large (more than %(limit)s MB or %(cells)s cells), or "
            "the sheet holds more than %(outside)s MB besides its rows. Copy the data into a new workbook, "
            "or save it as CSV."
        )
        % {
            "limit": _megabytes(XLSX_ROW_LIMIT),
            "cells": number_format(XLSX_ROW_CELLS, force_grouping=True),
            "outside": _megabytes(XLSX_OUTSIDE_ROWS_LIMIT),
        }
    )
    rows_start = rows_end = row_start = None
    cells = offset = 0  # offset: where `pending` starts in the part
    pending = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(MB)
            text = pending + chunk
            # A tag cut at the chunk's end is matched in the next round: the last bytes wait for it.
            limit = len(text) - SHEET_MARKUP_SPAN if chunk else len(text)
            resume = max(limit, 0)
            for match in SHEET_MARKUP.finditer(text):
                if match.start() >= limit:
                    break
                resume = max(resume, match.end())
                at, name = offset + match.start(), match.group(1)
                if match.group(0) == b"<!":
                    raise _damaged_workbook()
                if rows_end is not None:
                    continue
                if name == b"c":
                    cells += 1
                elif name == b"row" or name is None:  # a row starts, or </sheetData>: the last row ended
                    if row_start is not None and (at - row_start > XLSX_ROW_LIMIT or cells > XLSX_ROW_CELLS):
                        raise refused
                    row_start, cells = at, 0
                    if name is None:
                        rows_end = at
                elif name == b"sheetData" and rows_start is None:
                    rows_start = at
            if not chunk:
                break
            pending, offset = text[resume:], offset + resume
    size = offset + len(text)
    if row_start is not None and rows_end is None:
        raise _damaged_workbook()  # the rows never end
    inside = rows_end - rows_start if rows_start is not None and rows_end is not None else 0
    if size - inside > XLSX_OUTSIDE_ROWS_LIMIT:
        raise refused


def _xlsx_table(spec: TableSpec, data: bytes, sheet_name: str) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        archive.infolist()
    except Exception:  # zipfile raises BadZipFile, NotImplementedError, ValueError... on damaged archives
        raise _damaged_workbook() from None
    try:
        _check_parts(archive)
    except FileProblem:
        raise
    except Exception:  # a damaged [Content_Types].xml, or one defusedxml refuses
        raise _damaged_workbook() from None
    try:
        workbook = _open_workbook(data)
    except FileProblem:
        raise
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
        return _read_table(spec, _read_rows(spec, ([cell(value) for value in values] for values in rows)))
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


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time: csv over io.StringIO(text) held a copy of 4 bytes a
    character (124 MB for a 31 MB file), text.splitlines() another of every line."""
    for match in LINE.finditer(text):
        yield match.group()


def _csv_table(spec: TableSpec, text: str) -> Table:
    header_line = next((line for line in _lines(text) if line.strip()), "")[:MAX_HEADER_CHARS]
    keys = spec.header_keys
    reader = None

    def known(cells):
        return sum(1 for cell in cells if normalize_header(cell) in keys)

    try:
        delimiter = max(DELIMITERS, key=lambda d: known(next(csv.reader([header_line], delimiter=d), [])))
        reader = csv.reader(_lines(text), delimiter=delimiter)
        return _read_table(spec, _read_rows(spec, ([cell.strip() for cell in row] for row in reader)))
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


def _read_rows(spec: TableSpec, rows_in) -> Iterator[tuple[int, list[Cell]]]:
    """The table's rows that are not blank, numbered as the spreadsheet numbers them (from 1), one by one."""
    filled = 0
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
        yield number, cells[:MAX_COLUMNS]


def _read_table(spec: TableSpec, rows: Iterator[tuple[int, list[Cell]]]) -> Table:
    """The header is checked first, then the rows one by one, each keeping only the template's columns."""
    first = next(rows, None)
    if first is None:
        raise FileProblem(_("The file is empty."))
    _number, header = first
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
    keys = tuple(positions)
    only_texts = (TEXT,) * len(keys)
    seen: dict[str, str] = {}
    for number, row in rows:
        cells = [_stripped(row[position] if position < len(row) else "") for position in positions.values()]
        if any(value != "" for value in cells):
            texts = "\x00".join(value for value in cells if isinstance(value, str))
            kept = tuple(TEXT if isinstance(value, str) else value for value in cells)
            result.rows.append(
                Row(
                    number=number,
                    texts=texts,
                    cells=only_texts if kept == only_texts else kept,
                    keys=keys,
                    seen=seen,
                )
            )
    if not result.rows:
        raise FileProblem(str(spec.no_rows) or _("The file has the headers but no rows below them."))
    return result


def _stripped(cell: Cell) -> Cell:
    return cell.strip() if isinstance(cell, str) else cell
