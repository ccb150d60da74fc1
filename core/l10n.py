"""Dates, amounts and shipped names in the reader's language: the one way for Python code and files.

Templates use Django's localization (`{{ day|date:"SHORT_DATE_FORMAT" }}`, `{{ amount|floatformat:"2g" }}`);
Python messages, activity summaries and exports use these helpers, which read the same format modules
(Django's `es_CO` and `en`): es-CO writes 25/03/2026 and 1.234.567,89, English 03/25/2026 and 1,234,567.89.
Command-line output is not language-dependent and does not use them.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.functional import Promise


def format_date(value: date | None) -> str:
    """A day as the active language writes it in a table: 25/03/2026 (es-CO), 03/25/2026 (en)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "SHORT_DATE_FORMAT")


def format_datetime(value: datetime | None, *, seconds: bool = False) -> str:
    """A moment in local time: 25/03/2026 14:30 (es-CO), 03/25/2026 2:30 p.m. (en); with seconds, 24 hours."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if seconds:
        return f"{date_format(local, 'SHORT_DATE_FORMAT')} {date_format(local, 'H:i:s')}"
    return date_format(local, "SHORT_DATETIME_FORMAT")


def format_amount(value) -> str:
    """An amount with two decimals and grouped thousands: 1.234.567,89 (es-CO), 1,234,567.89 (en)."""
    return number_format(Decimal(value), decimal_pos=2, force_grouping=True)


def decimal_separator() -> str:
    return get_format("DECIMAL_SEPARATOR")


def csv_delimiter() -> str:
    """What separates a CSV's columns for the active language: where the decimal mark is a comma (Spanish),
    spreadsheets expect semicolons; where it is a point (English), commas."""
    return ";" if decimal_separator() == "," else ","


def csv_amount(value) -> str:
    """An amount for a CSV cell: two decimals, no grouping, the language's decimal mark (1234,50, 1234.50)."""
    return f"{Decimal(value):.2f}".replace(".", decimal_separator())


GROUPED_BY_COMMAS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def amount_typed(text: str) -> str:
    """An amount typed in a form, read in the active language: in English, commas that group digits by three
    are thousands separators (1,500 is fifteen hundred; in Spanish 1,500 is one and a half)."""
    compact = re.sub(r"[\s$]", "", text or "")
    if decimal_separator() == "." and GROUPED_BY_COMMAS.fullmatch(compact):
        return compact.replace(",", "")
    return text


def spreadsheet_date_format() -> str:
    """The XLSX number format of a date cell, in the order the active language writes days:
    dd/mm/yyyy (es-CO), mm/dd/yyyy (en)."""
    codes = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}
    return "".join(codes.get(char, char) for char in get_format("SHORT_DATE_FORMAT"))


# Names the product ships in Spanish as data (seeded rows, kept per company or in reference tables):
# kind → {the stored Spanish name: its translatable name}. The apps that seed them register them here.
_SHIPPED_NAMES: dict[str, dict[str, Promise]] = {}


def shipped_names_register(kind: str, names: dict[str, Promise]) -> None:
    _SHIPPED_NAMES.setdefault(kind, {}).update(names)


def shipped_name(kind: str, stored: str) -> str:
    """A shipped name in the reader's language; a name someone typed (or changed) stays as it is."""
    name = _SHIPPED_NAMES.get(kind, {}).get(stored)
    return str(name) if name is not None else stored
