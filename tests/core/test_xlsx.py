import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import column_letter, xlsx_stream


def test_column_letters():
    assert [column_letter(n) for n in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_the_streamed_workbook_opens_with_real_types_formats_and_a_frozen_header():
    rows = [
        [("Razón social & Cía.", "bold")],
        [("Código", "bold"), ("Fecha", "bold"), ("Saldo", "bold"), ("Cantidad", "bold")],
        [("110505", "text"), (date(2026, 3, 31), "date"), (Decimal("1234567.89"), "money"), (7, "number")],
        [
            ('=HYPERLINK("http://x")', "text"),
            (datetime(2026, 1, 2, 0, 0), "date"),  # noqa: DTZ001 - cells have no time zone
            (Decimal("-5"), "money"),
            (None, "number"),
        ],  # noqa: DTZ001
        [("  con espacios \x07", "text"), ("", "text"), (None, "money"), ("", "text")],
    ]
    sheet = load_workbook(
        io.BytesIO(xlsx_stream(iter(rows), sheet_name="Balance de prueba", freeze_rows=2, widths=[10, 12]))
    ).active
    assert sheet.title == "Balance de prueba" and sheet.freeze_panes == "A3"
    assert sheet["A1"].value == "Razón social & Cía." and sheet["A1"].font.b
    assert sheet["A3"].value == "110505" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == datetime(2026, 3, 31)  # noqa: DTZ001 - cells have no time zone
    assert sheet["B3"].number_format == "dd/mm/yyyy"
    assert sheet["C3"].value == 1234567.89 and sheet["C3"].number_format == "#,##0.00"
    assert sheet["D3"].value == 7
    assert (
        sheet["A4"].value == '=HYPERLINK("http://x")'
        and sheet["A4"].data_type == "s"
        and sheet["A4"].quotePrefix
    )
    assert sheet["C4"].value == -5 and sheet["D4"].value is None
    assert sheet["A5"].value == "  con espacios " and sheet["B5"].value is None
    assert sheet.max_row == 5


def test_date_cells_show_days_in_the_order_of_the_language():
    from django.utils import translation

    rows = [[(date(2026, 3, 25), "date")]]
    formats = {}
    for language in ("es-co", "en"):
        with translation.override(language):
            content = xlsx_stream(iter(rows), sheet_name="Fechas")
        cell = load_workbook(io.BytesIO(content)).active["A1"]
        assert cell.value == datetime(2026, 3, 25)  # noqa: DTZ001 - a real date either way
        formats[language] = cell.number_format
    assert formats == {"es-co": "dd/mm/yyyy", "en": "mm/dd/yyyy"}
