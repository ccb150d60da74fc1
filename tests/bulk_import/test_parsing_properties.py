"""The companies parser ends every file, however damaged, in rows or a FileProblem (tests/fuzzing.py)."""

import time

import pytest
from django.utils import translation

from bulk_import.parsing import MAX_ROWS, parse_spreadsheet
from bulk_import.services import import_preview
from core.tables import FileProblem
from tests.fuzzing import deterministic_zip, fuzz_parser, mutated_files

from .files import GOOD_ROW, HEADERS, ROWS, csv_bytes, xlsx_bytes, xlsx_with_shared_strings

MORE_ROWS = ROWS + [
    ["Comercial “Pérez; Hijos”", "860.002.964-4", "+57 300 123 4567", "pagos@perez.co", "Colombia"],
    ['=HYPERLINK("x")', "20131312955", "", "", "Perú"],
]
SHARED_ROW = '<row r="3"><c r="A3" t="s"><v>0</v></c></row>'
SEEDS = [
    ("clientes.csv", csv_bytes(ROWS)),
    ("clientes.csv", csv_bytes(ROWS, encoding="cp1252", bom=False)),
    ("clientes.csv", csv_bytes(MORE_ROWS, headers=[*HEADERS, "País"], delimiter=",")),
    ("clientes.txt", csv_bytes(ROWS, delimiter="\t", encoding="utf-16")),
    ("clientes.xlsx", deterministic_zip(xlsx_bytes(ROWS))),
    ("clientes.xlsx", deterministic_zip(xlsx_bytes(MORE_ROWS, headers=[*HEADERS, "País"], numbers=True))),
    ("clientes.xlsx", deterministic_zip(xlsx_with_shared_strings(GOOD_ROW + SHARED_ROW, ["Ñandú S.A.S."]))),
]


def _parse(file_name: str, data: bytes):
    return parse_spreadsheet(file_name=file_name, data=data)


def _storable(spreadsheet) -> None:
    """Rows the preview can save: text without NUL, no more than the limit."""
    assert 0 < len(spreadsheet.rows) <= MAX_ROWS
    for row in spreadsheet.rows:
        assert all(isinstance(value, str) and "\x00" not in value for value in row.values.values()), row


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_random_truncated_and_mutated_files_end_in_rows_or_a_file_problem(kind):
    seeds = [seed for seed in SEEDS if seed[0].endswith(".xlsx") == (kind == "xlsx")]
    with translation.override("es-co"):
        outcomes = fuzz_parser(
            _parse, FileProblem, seeds=seeds, cases=2000 if kind == "csv" else 1000, check=_storable
        )
    # Both ends are reached: the mutations neither all break the file nor all leave it readable.
    assert outcomes["result"] > 100 and outcomes["problem"] > 100, outcomes


def test_mutated_files_end_in_a_preview_or_a_file_problem(workspace, accountant):
    """Past the parser, the preview checks and saves whatever the cells hold (countries, e-mails, phones,
    tax IDs of any length), so the page never meets a database error either."""

    def preview(file_name: str, data: bytes):
        return import_preview(workspace=workspace, user=accountant, file_name=file_name, data=data)

    with translation.override("es-co"):
        outcomes = fuzz_parser(preview, FileProblem, seeds=SEEDS, cases=300, seed=7)
    assert outcomes["result"] > 30, outcomes


def test_the_files_are_the_same_on_every_run():
    """A failure names a case number: the same seed must give the same files tomorrow."""
    earlier = deterministic_zip(xlsx_bytes(ROWS))
    time.sleep(1.1)  # openpyxl dates each workbook to the second
    assert deterministic_zip(xlsx_bytes(ROWS)) == earlier
    runs = [[case.data for case in mutated_files(SEEDS, cases=30, seed=3)] for _ in range(2)]
    assert runs[0] == runs[1]
