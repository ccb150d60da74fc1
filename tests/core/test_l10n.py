"""One way to write dates, amounts and CSV cells in the reader's language; Spanish stays as it always was."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import pgettext_lazy

from core.l10n import (
    csv_amount,
    csv_delimiter,
    format_amount,
    format_date,
    format_datetime,
    shipped_name,
    shipped_names_register,
    spreadsheet_date_format,
)
from core.spreadsheets import csv_bytes, csv_value, csv_writer

MOMENT = datetime(2026, 3, 25, 19, 5, 9, tzinfo=UTC)  # 14:05:09 in Bogotá


def test_spanish_writes_what_the_code_wrote_before():
    with translation.override("es-co"):
        assert format_date(date(2026, 3, 25)) == date(2026, 3, 25).strftime("%d/%m/%Y") == "25/03/2026"
        assert format_datetime(MOMENT) == "25/03/2026 14:05"
        assert format_datetime(MOMENT, seconds=True) == "25/03/2026 14:05:09"
        assert format_amount(Decimal("1234567.891")) == "1.234.567,89"
        assert format_amount(Decimal("-0.5")) == "-0,50"
        assert csv_amount(Decimal("1234567.8")) == "1234567,80"
        assert csv_delimiter() == ";"
        assert spreadsheet_date_format() == "dd/mm/yyyy"


def test_english_writes_english():
    with translation.override("en"):
        assert format_date(date(2026, 3, 25)) == "03/25/2026"
        assert format_date(MOMENT) == "03/25/2026"  # a moment's local day
        assert format_datetime(MOMENT) == "03/25/2026 2:05 p.m."
        assert format_datetime(MOMENT, seconds=True) == "03/25/2026 14:05:09"
        assert format_amount(Decimal("1234567.891")) == "1,234,567.89"
        assert csv_amount(Decimal("1234567.8")) == "1234567.80"
        assert csv_delimiter() == ","
        assert spreadsheet_date_format() == "mm/dd/yyyy"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es-co", "\ufeffFecha;Importe;Texto\r\n25/03/2026;1234,50;'=1+1\r\n"),
        ("en", "\ufeffFecha,Importe,Texto\r\n03/25/2026,1234.50,'=1+1\r\n"),
    ],
)
def test_csv_files_follow_the_language(language, expected):
    with translation.override(language):
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow(["Fecha", "Importe", "Texto"])
        writer.writerow(
            [csv_value(date(2026, 3, 25), "date"), csv_value(Decimal("1234.5"), "money"), csv_value("=1+1")]
        )
        assert csv_bytes(buffer).decode("utf-8") == expected


def test_shipped_names_are_translated_and_typed_names_stay():
    shipped_names_register(
        "test_kind", {"Saldos iniciales": pgettext_lazy("voucher type", "Opening balances")}
    )
    with translation.override("en"):
        assert shipped_name("test_kind", "Saldos iniciales") == "Opening balances"
        assert shipped_name("test_kind", "Saldos de apertura") == "Saldos de apertura"
        assert shipped_name("other_kind", "Saldos iniciales") == "Saldos iniciales"
    with translation.override("es-co"):
        assert shipped_name("test_kind", "Saldos iniciales") == "Saldos iniciales"


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("en", "1,500", "1500"),
        ("en", " $ 1,234,567.89 ", "1234567.89"),
        ("en", "-2,000", "-2000"),
        ("en", "1,50", "1,50"),  # not grouped by three: left to the usual reading
        ("en", "1500.5", "1500.5"),
        ("es-co", "1,500", "1,500"),  # Spanish: a decimal comma
        ("es-co", "1.500.000,50", "1.500.000,50"),
    ],
)
def test_amounts_typed_in_english_read_commas_as_thousands(language, typed, read):
    from core.l10n import amount_typed

    with translation.override(language):
        assert amount_typed(typed) == read
