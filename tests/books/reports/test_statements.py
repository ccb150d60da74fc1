from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from books.reports.statements import statements
from books.services.periods import year_close

from ..conftest import post


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _lines(result, part):
    return {line.label: (line.current, line.previous) for line in getattr(result, part)}


def test_statements_balance_and_show_the_result_in_equity_before_closing(books, bookkeeper):
    post(bookkeeper, [("111005", 10_000, 0), ("311505", 0, 10_000)], day=date(2025, 1, 2))  # capital
    post(bookkeeper, [("130505", 4_000, 0), ("413595", 0, 4_000)], day=date(2025, 5, 2))
    post(bookkeeper, [("519530", 1_000, 0), ("111005", 0, 1_000)], day=date(2025, 6, 2))
    post(bookkeeper, [("130505", 6_000, 0), ("413595", 0, 6_000)], day=date(2026, 2, 2))
    post(bookkeeper, [("613595", 2_500, 0), ("111005", 0, 2_500)], day=date(2026, 3, 2))
    result = statements(start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert result.balances
    sheet = _lines(result, "balance_sheet")
    assert sheet["Cash and cash equivalents"] == (Decimal("6500.00"), Decimal("9000.00"))
    assert sheet["Trade and other receivables"] == (Decimal("10000.00"), Decimal("4000.00"))
    assert sheet["Total assets"] == (Decimal("16500.00"), Decimal("13000.00"))
    assert sheet["Share capital"] == (Decimal("10000.00"), Decimal("10000.00"))
    # 2026's result so far (6,000 − 2,500) and 2025's, never closed, stand in equity.
    assert sheet["Profit or loss of the period, not closed yet"] == (Decimal("3500.00"), Decimal("3000.00"))
    assert sheet["Results of earlier years, not closed yet"] == (Decimal("3000.00"), Decimal("0.00"))
    assert sheet["Total liabilities and equity"] == sheet["Total assets"]
    income = _lines(result, "income")
    assert income["Revenue"] == (Decimal("6000.00"), Decimal("4000.00"))
    assert income["Cost of sales"] == (Decimal("2500.00"), Decimal("0.00"))
    assert income["Gross profit"] == (Decimal("3500.00"), Decimal("4000.00"))
    assert income["Administrative expenses"] == (Decimal("0.00"), Decimal("1000.00"))
    assert income["Profit or loss for the period"] == (Decimal("3500.00"), Decimal("3000.00"))


def test_after_the_closing_the_result_sits_in_3605_and_the_statement_still_balances(books, bookkeeper):
    post(bookkeeper, [("111005", 10_000, 0), ("311505", 0, 10_000)], day=date(2025, 1, 2))
    post(bookkeeper, [("130505", 4_000, 0), ("413595", 0, 4_000)], day=date(2025, 5, 2))
    year_close(year=2025, user=bookkeeper)
    result = statements(start=date(2026, 1, 1), end=date(2026, 12, 31))
    sheet = _lines(result, "balance_sheet")
    assert result.balances
    assert sheet["Profit or loss for the year"] == (Decimal("4000.00"), Decimal("4000.00"))
    assert (
        "Results of earlier years, not closed yet" not in sheet
        or sheet["Results of earlier years, not closed yet"][0] == 0
    )
