"""Amounts as accountants type them: 1234567.89, 1.234.567,89 (es-CO), 1234567,89 or 1.500.000."""

import re
from decimal import Decimal, InvalidOperation

AMOUNT = re.compile(r"^-?[0-9][0-9.,]*$")


def parse_amount(text) -> Decimal | None:
    """The Decimal an accountant meant, or None when it is not an amount.

    With both separators, the last one marks the decimals. A lone comma marks decimals (es-CO). Dots alone are
    thousands separators when they group digits by three ("1.500", "1.234.567"), else a decimal point
    ("1234567.89"). Decimals are kept as written, so that "100,001" is caught as having 3 decimals.
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
        thousands = "," if decimal_mark == "." else "."
        value = value.replace(thousands, "").replace(decimal_mark, ".")
    elif commas:
        if commas > 1:
            return None
        value = value.replace(",", ".")
    elif dots > 1 or (dots == 1 and re.search(r"\.\d{3}$", value)):
        if not re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
            return None
        value = value.replace(".", "")
    try:
        return Decimal(value)
    except InvalidOperation:
        return None
