"""The Colombian Plan Único de Cuentas (Decreto 2650 de 1993), seeded into new Colombian companies, and the
structure of its codes: class 1 digit, group 2, account 4, sub-account 6, auxiliary 8 or more, always in
pairs of digits extending the parent."""

import csv
import re
from functools import cache
from pathlib import Path

PUC_FILE = Path(__file__).resolve().parent / "data" / "co_puc_2650.csv"
CODE_SHAPE = re.compile(r"^([0-9]|([0-9]{2})+)$")
LEVELS_BY_LENGTH = {1: "clase", 2: "grupo", 4: "cuenta", 6: "subcuenta"}
DEBIT, CREDIT = "D", "C"
CREDIT_CLASSES = {"2", "3", "4", "9"}
# Accounts (and everything under them) whose nature is the opposite of their class (books/data/SOURCES.md).
OPPOSITE_NATURE = {
    **dict.fromkeys(
        ["1299", "1399", "1499", "1592", "1597", "1598", "1599", "1698", "1699", "1798", "1899"], CREDIT
    ),
    **dict.fromkeys(["84", "85", "86"], CREDIT),
    **dict.fromkeys(["94", "95", "96", "3610", "3710"], DEBIT),
}


@cache
def puc_rows() -> tuple[tuple[str, str, str, str], ...]:
    """(code, level, parent code or "", name), parents before children."""
    with open(PUC_FILE, encoding="utf-8") as handle:
        rows = [(r["code"], r["level"], r["parent"], r["name"]) for r in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda row: (len(row[0]), row[0])))


def code_level(code: str) -> str | None:
    """The PUC level of a code by its length, or None for a code of the wrong shape (e.g. 5 digits)."""
    if not CODE_SHAPE.match(code or ""):
        return None
    return LEVELS_BY_LENGTH.get(len(code), "auxiliar")


def parent_code(code: str) -> str:
    """The code a code extends: "11" for "1105", "1" for "11", "" for a class."""
    return "" if len(code) <= 1 else code[: 1 if len(code) == 2 else len(code) - 2]


def puc_nature(*, code: str, name: str, parent_nature: str | None) -> str:
    """Débito or crédito: "(DB)"/"(CR)" in the name, then the known exceptions, then the parent's."""
    upper = name.upper()
    if upper.rstrip().endswith("(CR)"):
        return CREDIT
    if upper.rstrip().endswith("(DB)"):
        return DEBIT
    if code in OPPOSITE_NATURE:
        return OPPOSITE_NATURE[code]
    if parent_nature:
        return parent_nature
    return CREDIT if code[:1] in CREDIT_CLASSES else DEBIT


@cache
def puc_natures() -> dict[str, str]:
    """The nature of every PUC code."""
    natures: dict[str, str] = {}
    for code, _level, parent, name in puc_rows():
        natures[code] = puc_nature(code=code, name=name, parent_nature=natures.get(parent))
    return natures
