"""Cells that a spreadsheet never runs: text that looks like a formula is written as text."""

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
