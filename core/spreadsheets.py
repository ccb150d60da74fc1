"""Cells that a spreadsheet never runs: text that looks like a formula is written as text. CSV files in the
reader's language (core.l10n decides the delimiter and the decimal mark)."""

import csv
from datetime import date

from .l10n import csv_amount, csv_delimiter, format_date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(cell, value) -> None:
    """Write `value` into an openpyxl cell; formula-like text stays text."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def safe_csv_value(value):
    """A CSV value; formula-like text keeps a leading apostrophe, as spreadsheets show it."""
    return f"'{value}" if looks_like_formula(value) else value


def csv_value(value, kind: str = "text") -> str:
    """A CSV cell in the active language: money with its decimal mark, dates in its order, text never a
    formula."""
    if value is None:
        return ""
    if kind == "money":
        return csv_amount(value)
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    return safe_csv_value(str(value))


def csv_writer(buffer):
    """A CSV writer for a file people open in a spreadsheet, in the active language: semicolons where the
    decimal mark is a comma (Excel in Spanish), commas in English; CRLF line ends."""
    return csv.writer(buffer, delimiter=csv_delimiter(), lineterminator="\r\n")


def csv_bytes(buffer) -> bytes:
    """UTF-8 with a BOM, as Excel recognises it."""
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
