"""Reference data shipped with the app (sources in firms/data/SOURCES.md)."""

import csv
import re
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def sector_choices() -> list[tuple[str, str]]:
    """CIIU Rev. 4 A.C. sections: ("G", "G - Comercio al por mayor ...")."""
    return [
        (row["section"], f"{row['section']} - {row['name']}") for row in _rows("ciiu_rev4ac_sections.csv")
    ]


# Notes about the sources inside a name, e.g. "(single repo only)", are not for users.
SOURCE_NOTE = re.compile(r"\s*\((?:[^)]*repo[^)]*|gerencie:[^)]*)\)")


@cache
def rut_responsibility_choices() -> list[tuple[str, str]]:
    """Colombian RUT responsibilities (box 53): ("48", "48 - Impuesto sobre las ventas - IVA")."""
    return [
        (row["code"], f"{row['code']} - {SOURCE_NOTE.sub('', row['name'])}")
        for row in _rows("co_rut_responsabilidades.csv")
    ]
