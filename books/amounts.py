"""Amounts as accountants type them: 1234567.89, 1.234.567,89 (es-CO), 1234567,89 or 1.500.000."""

import re
from decimal import Decimal, InvalidOperation

AMOUNT = re.compile(r"^-?[0-9][0-9.,]*$")
# With both separators: thousands in groups of three before the one decimal separator, which comes last.
GROUPED = {
    ",": re.compile(r"-?\d{1,3}(\.\d{3})+,\d+"),  # 1.234.567,89
    ".": re.compile(r"-?\d{1,3}(,\d{3})+\.\d+"),  # 1,234,567.89
}


def parse_amount(text) -> Decimal | None:
    """The Decimal an accountant meant, or None when it is not an amount.

    With both separators, the last one marks the decimals and the other groups the digits by three
    ("1.234.567,89"; "1.2.3,4" is not an amount). A lone comma marks decimals (es-CO). Dots alone are
    thousands separators when they group digits by three ("1.500", "1.234.567"), else a decimal point
    ("1234567.89", "1000.125"). Decimals are kept as written, so that "100,001" and "1000.125" are caught
    as having 3 decimals.
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int | float) and not isinstance(text, bool):
        return Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    value = str(text or "").strip().replace(" ", "").replace("$", "")
    if not value or not AMOUNT.match(value):
        return None
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        decimal_mark = "." if value.rfind(".") > value.rfind(",") else ","
        if not GROUPED[decimal_mark].fullmatch(value):
            return None
        thousands = "," if decimal_mark == "." else "."
        value = value.replace(thousands, "").replace(decimal_mark, ".")
    elif commas:
        if commas > 1:
            return None
        value = value.replace(",", ".")
    elif dots > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        if not re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
            return None
        value = value.replace(".", "")
    try:
        return Decimal(value)
    except InvalidOperation:
        return None
