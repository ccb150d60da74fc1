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


def _division_range(divisions: str) -> list[str]:
    """Division codes of a range: "10-33" -> ["10", ..., "33"]; "35" -> ["35"]."""
    first, _, last = divisions.partition("-")
    return [f"{number:02d}" for number in range(int(first), int(last or first) + 1)]


@cache
def ciiu_divisions_by_section() -> dict[str, list[str]]:
    """Each CIIU section's two-digit divisions: {"G": ["45", "46", "47"], ...}."""
    return {row["section"]: _division_range(row["divisions"]) for row in _rows("ciiu_rev4ac_sections.csv")}


@cache
def ciiu_division_choices() -> list[tuple[str, str]]:
    """Every CIIU division, labelled with its section: ("47", "47 (G)")."""
    return [
        (division, f"{division} ({section})")
        for section, divisions in ciiu_divisions_by_section().items()
        for division in divisions
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
