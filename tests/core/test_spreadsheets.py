import pytest
from openpyxl import Workbook

from core.spreadsheets import safe_cell, safe_csv_value

FORMULAS = ["=1+1", "+1", "-1", "@A1", "\tTab", "\rCR", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("value", FORMULAS)
def test_safe_cell_writes_formula_like_text_as_text(value):
    cell = Workbook().active["A1"]
    safe_cell(cell, value)
    assert cell.value == value and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("value", ["Peña S.A.S.", 12.5, 7, None])
def test_safe_cell_keeps_other_values_as_they_are(value):
    cell = Workbook().active["A1"]
    safe_cell(cell, value)
    assert cell.value == value and not cell.quotePrefix


@pytest.mark.parametrize("value", FORMULAS)
def test_safe_csv_value_keeps_formula_like_text_as_text(value):
    assert safe_csv_value(value) == "'" + value


def test_safe_csv_value_leaves_other_values_alone():
    assert safe_csv_value("900.123.456-8") == "900.123.456-8"
    assert safe_csv_value(5) == 5
