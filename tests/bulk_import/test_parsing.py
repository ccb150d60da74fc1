import pytest
from django.utils import translation

from bulk_import.parsing import parse_spreadsheet
from core.tables import FileProblem

from .files import (
    GOOD_ROW,
    HEADERS,
    ROWS,
    SHEET_PART,
    SHEET_XML,
    csv_bytes,
    xlsx_bytes,
    xlsx_with_parts,
    xlsx_with_shared_strings,
    xlsx_with_sheet_rows,
    zip_bomb_bytes,
)


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


def _problem(file_name, data) -> str:
    with pytest.raises(FileProblem) as problem:
        parse_spreadsheet(file_name=file_name, data=data)
    return str(problem.value)


HEADER_LINE = ";".join(HEADERS)


@pytest.mark.parametrize(
    "data",
    [
        # an unterminated quote followed by a long text
        f'{HEADER_LINE}\r\n"Panadería sin cerrar;900123456-8;;\r\n'.encode() + b"x" * 200_000,
        # one quoted cell of 200 KB
        f'{HEADER_LINE}\r\n"'.encode() + b"a" * 200_000 + b'";900123456-8;;\r\n',
        # one line of 4 MB
        b"x" * (4 * 1024 * 1024),
    ],
    ids=["unterminated-quote", "200-kb-cell", "4-mb-line"],
)
def test_csv_cells_beyond_the_csv_module_limit_are_a_file_problem(data):
    message = _problem("a.csv", data)
    assert "no se puede leer como CSV desde la línea" in message


def test_csv_with_a_nul_byte_after_the_first_4_kb_is_a_file_problem():
    rows = [[f"Empresa {i}", "900.123.456-8", "", ""] for i in range(200)]
    rows.append(["Con\x00nulo", "900.123.456-8", "", ""])
    data = csv_bytes(rows)
    assert data.index(b"\x00") > 4096
    assert "La fila 202 contiene un carácter NUL" in _problem("a.csv", data)


def test_utf16_csv_as_excel_saves_unicode_text_is_read():
    data = csv_bytes(ROWS, delimiter="\t", encoding="utf-16")  # Excel's "Texto Unicode"
    assert data[:2] == b"\xff\xfe"
    assert _values(parse_spreadsheet(file_name="clientes.txt", data=data)) == EXPECTED
    without_bom = csv_bytes(ROWS, delimiter=";", encoding="utf-16-le")
    assert _values(parse_spreadsheet(file_name="clientes.csv", data=without_bom)) == EXPECTED


def test_utf8_with_one_bad_byte_is_an_encoding_problem_on_its_line():
    data = csv_bytes(ROWS).replace("Ferretería".encode(), b"Ferreter\xeda")
    message = _problem("a.csv", data)
    assert "La línea 3 del archivo no es texto UTF-8 válido" in message and "0xED" in message


def test_cp1252_from_excel_in_spanish_is_still_read_as_such():
    assert _values(parse_spreadsheet(file_name="a.csv", data=csv_bytes(ROWS, encoding="cp1252"))) == EXPECTED


@pytest.mark.parametrize(
    "data",
    [
        xlsx_with_parts({SHEET_PART: SHEET_XML.format(rows=GOOD_ROW)[:300]}),
        xlsx_with_sheet_rows('<row r="2"><c r="A2" t="inlineStr"><is><t>Pan&#0;</t></is></c></row>'),
        xlsx_with_parts({SHEET_PART: None}),
        xlsx_with_sheet_rows('<row r="3"><c r="ZZZZZZ3" t="inlineStr"><is><t>x</t></is></c></row>'),
        xlsx_with_shared_strings('<row r="2"><c r="A2" t="s"><v>99</v></c></row>', ["Panadería"]),
        xlsx_with_sheet_rows('<row r="2"><c r="A2"><v>abc</v></c></row>'),
        xlsx_with_sheet_rows('<row r="2"><c r="A2" t="d"><v>hola</v></c></row>'),
        xlsx_with_sheet_rows('<row r="abc"><c t="inlineStr"><is><t>x</t></is></c></row>'),
    ],
    ids=[
        "truncated-sheet-xml",
        "nul-character-reference",
        "missing-sheet-part",
        "cell-reference-out-of-range",
        "shared-string-index-out-of-range",
        "number-cell-holding-text",
        "date-cell-holding-text",
        "row-number-not-a-number",
    ],
)
def test_xlsx_damaged_while_reading_its_rows_is_a_file_problem(data):
    assert "está dañado" in _problem("a.xlsx", data)


def test_csv_control_characters_are_dropped_from_cells():
    data = csv_bytes([["Pan\x01adería", "900.123.456-8", "", ""]])
    assert parse_spreadsheet(file_name="a.csv", data=data).rows[0].values["name"] == "Panadería"


@pytest.mark.parametrize(
    "rows_xml",
    [
        GOOD_ROW + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>fin</t></is></c></row>',
        GOOD_ROW + "".join(f'<row r="{n}"/>' for n in range(3, 200_000)),
    ],
    ids=["last-row-of-the-sheet", "200-000-empty-row-elements"],
)
def test_xlsx_sheet_of_millions_of_empty_rows_is_refused_by_the_row_limit(rows_xml):
    assert "La hoja tiene más de 20.000 filas, contando las vacías" in _problem(
        "a.xlsx", xlsx_with_sheet_rows(rows_xml)
    )


def test_xlsx_columns_beyond_the_limit_are_refused_and_far_empty_cells_ignored():
    far_value = GOOD_ROW.replace("</row>", '<c r="XFD2" t="inlineStr"><is><t>lejos</t></is></c></row>')
    assert "La fila 2 tiene más de 50 columnas" in _problem("a.xlsx", xlsx_with_sheet_rows(far_value))
    far_empty = GOOD_ROW.replace("</row>", '<c r="XFD2"/></row>')
    assert _values(parse_spreadsheet(file_name="a.xlsx", data=xlsx_with_sheet_rows(far_empty))) == [
        EXPECTED[0]
    ]
