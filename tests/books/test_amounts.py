from decimal import Decimal

import pytest

from books.amounts import parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234567.89", "1234567.89"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1234567,89", "1234567.89"),
        ("1.500.000", "1500000"),
        ("1.500", "1500"),
        ("100", "100"),
        ("0,5", "0.5"),
        (" $ 2.500 ", "2500"),
        ("100,001", "100.001"),  # three decimals, kept so that the rule can refuse them
        ("1000.125", "1000.125"),  # four digits before the dot: a decimal point, three decimals kept
        ("10000.005", "10000.005"),
        ("100.125", "100125"),  # groups of three: thousands
        ("-1.234,56", "-1234.56"),
        ("12,345.6", "12345.6"),
        ("-50", "-50"),
        (1500, "1500"),
        (12.5, "12.5"),
        (Decimal("7.25"), "7.25"),
    ],
)
def test_parse_amount_reads_what_accountants_type(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1,2,3",
        "12.34.5",
        "1.2.3,4,5",
        "--1",
        "1e5",
        None,
        True,
        "1.2.3,4",  # thousands separators group three digits: not 123,40
        "12.34,5",
        "1234.567,89",
        "1,2.5",
        "1.234,567,8",  # one decimal separator
        "1,234.567.8",
    ],
)
def test_parse_amount_refuses_what_is_not_an_amount(text):
    assert parse_amount(text) is None
