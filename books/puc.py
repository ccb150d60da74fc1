"""The Colombian Plan Único de Cuentas (Decreto 2650 de 1993), seeded into new Colombian companies."""

import csv
from functools import cache
from pathlib import Path

PUC_FILE = Path(__file__).resolve().parent / "data" / "co_puc_2650.csv"


@cache
def puc_rows() -> tuple[tuple[str, str, str, str], ...]:
    """(code, level, parent code or "", name), parents before children."""
    with open(PUC_FILE, encoding="utf-8") as handle:
        rows = [(r["code"], r["level"], r["parent"], r["name"]) for r in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda row: (len(row[0]), row[0])))
