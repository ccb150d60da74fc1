import pytest
from django.utils import translation

from bulk_import.parsing import FileProblem, parse_spreadsheet

from .files import HEADERS, ROWS, csv_bytes, xlsx_bytes, zip_bomb_bytes


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-co"):
        yield


def _values(spreadsheet):
    return [(row.number, row.values["name"], row.values["tax_id"]) for row in spreadsheet.rows]


EXPECTED = [(2, "Panadería Núñez S.A.S.", "900.123.456-8"), (3, "Ferretería El Tornillo", "9001234568")]


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(ROWS, encoding="utf-8"),
        csv_bytes(ROWS, encoding="utf-8", bom=True),
        csv_bytes(ROWS, encoding="cp1252"),  # Excel in Spanish
        csv_bytes(ROWS, encoding="latin-1"),
        csv_bytes(ROWS, delimiter=","),
        csv_bytes(ROWS, delimiter="\t"),
        csv_bytes(ROWS, delimiter=",", newline="\n"),  # Google Sheets, LibreOffice
    ],
    ids=["utf8", "utf8-bom", "cp1252", "latin1", "comma", "tab", "lf"],
)
def test_csv_in_every_encoding_and_delimiter(data):
    assert _values(parse_spreadsheet(file_name="clientes.csv", data=data)) == EXPECTED


def test_csv_with_quoted_cells_holding_the_delimiter():
    data = csv_bytes([['"Comercial Pérez; Hijos"', "900.123.456-8", "", ""]])
    assert parse_spreadsheet(file_name="a.csv", data=data).rows[0].values["name"] == "Comercial Pérez; Hijos"


def test_xlsx_first_sheet_and_numbers_typed_as_numbers():
    data = xlsx_bytes([["Panadería Núñez S.A.S.", "9001234568", "3001234567", ""]], numbers=True)
    row = parse_spreadsheet(file_name="clientes.xlsx", data=data).rows[0]
    assert row.values["tax_id"] == "9001234568" and row.values["phone"] == "3001234567"


def test_xlsx_sheet_chosen_by_name():
    data = xlsx_bytes(ROWS, sheets={"Nuevos": [["Otra S.A.S.", "860002964-4", "", ""]]})
    assert [
        r.values["name"] for r in parse_spreadsheet(file_name="a.xlsx", data=data, sheet_name="Nuevos").rows
    ] == ["Otra S.A.S."]
    with pytest.raises(FileProblem, match="no tiene una hoja llamada"):
        parse_spreadsheet(file_name="a.xlsx", data=data, sheet_name="Viejos")


@pytest.mark.parametrize(
    "headers",
    [
        ["nombre de la empresa", "NIT O IDENTIFICACION", "telefono celular", "correo electronico"],
        [
            "  Nombre  de la Empresa ",
            "Nit o identificación",
            "Teléfono celular (opcional)",
            "Correo electrónico",
        ],
        ["Company name", "Tax ID", "Mobile phone", "E-mail"],
        ["Razón social", "NIT", "Celular", "Email"],
    ],
)
def test_headers_match_without_case_accents_or_spaces_and_in_english(headers):
    assert _values(parse_spreadsheet(file_name="a.csv", data=csv_bytes(ROWS, headers=headers))) == EXPECTED


def test_country_column_is_optional_and_read_when_present():
    data = csv_bytes([["Andina", "20131312955", "", "", "Perú"]], headers=[*HEADERS, "País"])
    assert parse_spreadsheet(file_name="a.csv", data=data).rows[0].values["country"] == "Perú"


def test_blank_rows_are_ignored_and_rows_keep_their_spreadsheet_numbers():
    data = csv_bytes([ROWS[0], ["", "", "", ""], ROWS[1]])
    assert [row.number for row in parse_spreadsheet(file_name="a.csv", data=data).rows] == [2, 4]


@pytest.mark.parametrize(
    ("file_name", "data", "message"),
    [
        ("a.csv", b"", "está vacío"),
        ("a.csv", b"   \r\n  \r\n", "está vacío"),
        ("a.csv", csv_bytes([]), "no hay ninguna empresa"),
        ("a.xlsx", xlsx_bytes([]), "no hay ninguna empresa"),
        ("a.xlsx", csv_bytes(ROWS), "no es un libro de Excel"),
        ("a.csv", xlsx_bytes(ROWS), "no es texto"),
        ("a.pdf", b"%PDF-1.4", "no es un formato admitido"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "no es un formato admitido"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "dañado"),
        ("a.xlsx", zip_bomb_bytes(), "demasiado grande"),
        ("a.csv", csv_bytes(ROWS, headers=["Nombre de la empresa", "Teléfono"]), "NIT o identificación"),
        ("a.csv", csv_bytes(ROWS, headers=["Empresa", "NIT", "Teléfono", "Notas"]), "“Notas”"),
        ("a.csv", csv_bytes(ROWS, headers=["Empresa", "NIT", "Nombre", "Correo"]), "aparece dos veces"),
        ("a.csv", b"x" * (5 * 1024 * 1024 + 1), "5 MB"),
        ("a.csv", csv_bytes([ROWS[1]] * 5001), "más de 5.000"),
    ],
    ids=[
        "empty",
        "blank",
        "header-only-csv",
        "header-only-xlsx",
        "xlsx-not-zip",
        "csv-is-zip",
        "pdf",
        "xls",
        "broken-zip",
        "zip-bomb",
        "missing-column",
        "unknown-column",
        "duplicate-column",
        "too-big",
        "too-many-rows",
    ],
)
def test_bad_files_get_a_message_that_names_the_problem(file_name, data, message):
    with pytest.raises(FileProblem) as problem:
        parse_spreadsheet(file_name=file_name, data=data)
    assert message in str(problem.value)


def test_openpyxl_parses_xml_with_defusedxml():
    from openpyxl import xml

    assert xml.DEFUSEDXML is True
