"""The journal parser ends every file, however damaged, in comprobantes or a FileProblem; so does the
preview past it (tests/fuzzing.py)."""

from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook

from books.services.journal import journal_preview
from books.services.journal_file import JOURNAL, journal_read
from core.tables import FileProblem
from tests.fuzzing import deterministic_zip, fuzz_parser

from .test_journal import GOOD, HEADER, csv_file, xlsx_file


def _typed_xlsx() -> bytes:
    """Real dates, numbers and a formula, as Excel saves them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["CC", 9, "2026-03-05", 110505, "", "", "", "Caja", 1190000.5, None])
    sheet.append(["CC", 9, "2026-03-05", 413595, 900123456, "Cliente", "VEN", "=1+1", None, 1190000.5])
    sheet["C2"].number_format = "dd/mm/yyyy"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SEEDS = [
    ("comprobantes.csv", csv_file(GOOD)),
    ("comprobantes.csv", csv_file(GOOD).decode().encode("cp1252", errors="replace")),
    ("comprobantes.txt", csv_file(GOOD).decode().replace(";", "\t").encode("utf-16")),
    ("comprobantes.xlsx", deterministic_zip(xlsx_file(GOOD))),
    ("comprobantes.xlsx", deterministic_zip(_typed_xlsx())),
]


def _read(file_name: str, data: bytes):
    return journal_read(file_name=file_name, data=data)


def _whole(entries) -> None:
    """What the preview stores: each comprobante has its rows and lines, and no more rows than allowed."""
    assert 0 < sum(len(entry.rows) for entry in entries) <= JOURNAL.max_rows
    for entry in entries:
        assert len(entry.rows) == len(entry.lines) > 0
        assert all("\x00" not in str(value) for line in entry.lines for value in line), entry


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_random_truncated_and_mutated_files_end_in_comprobantes_or_a_file_problem(kind):
    seeds = [seed for seed in SEEDS if seed[0].endswith(".xlsx") == (kind == "xlsx")]
    with translation.override("es-co"):
        outcomes = fuzz_parser(
            _read, FileProblem, seeds=seeds, cases=300 if kind == "csv" else 120, check=_whole
        )
    assert outcomes["result"] > 20 and outcomes["problem"] > 20, outcomes


def test_mutated_files_end_in_a_preview_or_a_file_problem(books, bookkeeper):
    """Past the parser, the preview checks and saves whatever the cells hold, so the page never meets a
    database error either."""

    def preview(file_name: str, data: bytes):
        return journal_preview(file_name=file_name, data=data, user=bookkeeper)

    with translation.override("es-co"):
        outcomes = fuzz_parser(preview, FileProblem, seeds=SEEDS, cases=60, seed=11)
    assert outcomes["result"] > 10, outcomes
