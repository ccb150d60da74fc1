"""What an .xlsx may unpack to (core/tables.py): checked part by part before openpyxl parses anything."""

import io
import zipfile

import pytest
from django.utils import translation

from core import tables
from core.tables import MB, FileProblem, TableSpec, read_table
from tests.bulk_import.files import SHARED_STRINGS_PART, SHEET_PART, xlsx_with_shared_strings

SPEC = TableSpec(
    headers={"name": "Nombre de la empresa", "tax_id": "NIT o identificación"},
    aliases={},
    required=("name",),
    max_rows=100,
    max_bytes=30 * MB,
)
HEADERS = ["Nombre de la empresa", "NIT o identificación"]
ROW = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>900.123.456-8</t></is></c></row>'


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-co"):
        yield


@pytest.fixture
def nothing_parsed(monkeypatch):
    """openpyxl is not asked to open the workbook (pytest.fail is not an Exception: nothing catches it)."""
    monkeypatch.setattr(tables, "_open_workbook", lambda data: pytest.fail("the workbook was opened"))


@pytest.fixture
def no_row_parsed(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", lambda *args: pytest.fail("rows were parsed"))


PADDING = "y" * 400  # with a number after it, parts compress about 100 times: not refused for their ratio


def _enough(size: int, one: str) -> int:
    return -(-size // len(one)) + 1


def texts(size: int) -> list[str]:
    """Shared texts whose part unpacks to a little more than `size` bytes (with the part's own tags)."""
    return [f"{PADDING}{number:07d}" for number in range(_enough(size, f"<si><t>{PADDING}0000000</t></si>"))]


def rows_of(size: int, start: int = 2) -> str:
    """Rows of one text cell, a little more than `size` bytes."""
    row = '<row r="{0}"><c t="inlineStr"><is><t>' + PADDING + "{0:07d}</t></is></c></row>"
    return "".join(row.format(number) for number in range(start, start + _enough(size, row.format(start))))


def with_parts(base: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with parts added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in source.namelist():
            if name not in parts:
                archive.writestr(name, source.read(name))
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sheet(rows_xml: str, outside: str = "") -> bytes:
    header = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in HEADERS)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>{rows_xml}</sheetData>{outside}'
        "</worksheet>"
    ).encode()


def merged(count: int) -> str:
    cells = "".join(f'<mergeCell ref="C{n}:D{n}"/>' for n in range(1, count + 1))
    return f"<mergeCells>{cells}</mergeCells>"


def problem(data: bytes) -> str:
    assert len(data) < 4 * MB  # small on disk
    with pytest.raises(FileProblem) as refused:
        read_table(spec=SPEC, file_name="empresas.xlsx", data=data)
    return str(refused.value)


def unpacked(data: bytes) -> int:
    return sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())


def test_texts_that_unpack_past_their_limit_are_refused_before_parsing(nothing_parsed):
    data = xlsx_with_shared_strings(ROW, texts(10 * MB + 1))
    assert problem(data) == (
        "El archivo de Excel es demasiado grande una vez descomprimido: “xl/sharedStrings.xml” (los textos "
        "de las celdas) ocupa 11 MB, más de los 10 MB permitidos. Deja solo la hoja con los datos o "
        "guárdalo como CSV."
    )


def test_texts_under_another_name_have_the_texts_limit(nothing_parsed):
    """openpyxl finds the texts by their type in [Content_Types].xml, whatever the part's name."""
    base = xlsx_with_shared_strings(ROW, ["Panadería Núñez S.A.S."])
    source = zipfile.ZipFile(io.BytesIO(base))
    manifest = source.read("[Content_Types].xml").replace(
        b"/xl/sharedStrings.xml", b"/xl/worksheets/sheet9.xml"
    )
    relations = source.read("xl/_rels/workbook.xml.rels").replace(
        b'Target="sharedStrings.xml"', b'Target="worksheets/sheet9.xml"'
    )
    texts_xml = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{text}</t></si>" for text in texts(10 * MB + 1))
        + "</sst>"
    ).encode()
    data = with_parts(
        base,
        {
            "[Content_Types].xml": manifest,
            "xl/_rels/workbook.xml.rels": relations,
            SHARED_STRINGS_PART: b"",
            "xl/worksheets/sheet9.xml": texts_xml,
        },
    )
    assert "“xl/worksheets/sheet9.xml” (los textos de las celdas) ocupa 11 MB" in problem(data)


@pytest.mark.parametrize(
    ("part", "content", "message"),
    [
        (
            SHEET_PART,
            sheet(rows_of(64 * MB)),
            "“xl/worksheets/sheet1.xml” (una hoja) ocupa 65 MB, más de los 64 MB",
        ),
        (
            "xl/styles.xml",
            rows_of(MB).encode(),
            "“xl/styles.xml” (la estructura o los formatos del libro) ocupa 2 MB, más de los 1 MB",
        ),
        (
            "xl/media/image1.png",
            rows_of(16 * MB).encode(),
            "“xl/media/image1.png” (una imagen u otro adjunto) ocupa 17 MB, más de los 16 MB",
        ),
    ],
    ids=["sheet", "styles", "image"],
)
def test_each_part_has_its_limit(nothing_parsed, part, content, message):
    data = with_parts(xlsx_with_shared_strings(ROW, ["Panadería Núñez S.A.S."]), {part: content})
    assert message in problem(data)


def test_parts_each_within_their_limit_are_refused_together(nothing_parsed):
    parts = {f"xl/media/image{number}.png": rows_of(15 * MB).encode() for number in range(1, 6)}
    data = with_parts(xlsx_with_shared_strings(ROW, texts(5 * MB)), parts)
    assert unpacked(data) > 80 * MB
    assert problem(data) == (
        "El archivo de Excel es demasiado grande una vez descomprimido: sus partes ocupan 81 MB, más de los "
        "80 MB permitidos. Deja solo la hoja con los datos o guárdalo como CSV."
    )


ROW_REFUSED = "Una fila de la hoja del archivo de Excel es demasiado grande (más de 1 MB o 16.384 celdas)"


@pytest.mark.parametrize(
    ("sheet_xml", "message"),
    [
        (sheet('<row r="2">' + "<c/>" * 16_385 + "</row>"), ROW_REFUSED),
        (
            sheet(
                '<row r="2">'
                + "".join(f'<c t="inlineStr"><is><t>{t}</t></is></c>' for t in texts(MB))
                + "</row>"
            ),
            ROW_REFUSED,
        ),
        (sheet(ROW, outside=merged(40_000)), "además de sus filas"),
        (sheet(ROW.replace("<c ", "<!-- <row> --><c ", 1)), "está dañado"),
        (sheet(ROW).replace(b"</sheetData>", b""), "está dañado"),
    ],
    ids=["cells", "bytes", "outside-rows", "comment", "unended"],
)
def test_the_sheet_is_scanned_before_its_rows_are_parsed(no_row_parsed, sheet_xml, message):
    data = with_parts(xlsx_with_shared_strings(ROW, ["Panadería Núñez S.A.S."]), {SHEET_PART: sheet_xml})
    assert message in problem(data)


def test_a_workbook_near_every_limit_is_read():
    """Texts of almost 10 MB, a row of 16,384 cells, almost 1 MB around the rows: read."""
    strings = texts(10 * MB - 30_000)
    rows = ROW + '<row r="3"><c t="s"><v>1</v></c>' + "<c/>" * 16_383 + "</row>"
    data = with_parts(
        xlsx_with_shared_strings(ROW, strings), {SHEET_PART: sheet(rows, outside=merged(30_000))}
    )
    parts = {entry.filename: entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert 10 * MB - 40_000 < parts[SHARED_STRINGS_PART] <= 10 * MB
    table = read_table(spec=SPEC, file_name="empresas.xlsx", data=data)
    assert [row.values for row in table.rows] == [
        {"name": strings[0], "tax_id": "900.123.456-8"},
        {"name": strings[1], "tax_id": ""},
    ]
