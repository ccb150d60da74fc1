"""Small spreadsheets made in memory, as Excel, LibreOffice and Google Sheets write them."""

import io
import zipfile

from openpyxl import Workbook

HEADERS = [
    "Nombre de la empresa",
    "NIT o identificación",
    "Teléfono celular (opcional)",
    "Correo electrónico (opcional)",
]
ROWS = [
    ["Panadería Núñez S.A.S.", "900.123.456-8", "300 123 4567", "gerencia@nunez.co"],
    ["Ferretería El Tornillo", "9001234568", "", ""],
]


def csv_bytes(rows, headers=HEADERS, delimiter=";", encoding="utf-8", bom=False, newline="\r\n") -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows, headers=HEADERS, sheets=None, numbers=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Empresas"
    sheet.append(headers)
    for row in rows:
        sheet.append([int(value) if numbers and value.isdigit() else value for value in row])
    for name, extra_rows in (sheets or {}).items():
        other = workbook.create_sheet(name)
        other.append(headers)
        for row in extra_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_PART = "xl/sharedStrings.xml"
SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Nombre de la empresa</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>NIT o identificación</t></is></c></row>'
    "{rows}</sheetData></worksheet>"
)
GOOD_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Panadería Núñez S.A.S.</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>900.123.456-8</t></is></c></row>'
)


def xlsx_with_parts(parts: dict[str, bytes | str | None], base: bytes | None = None) -> bytes:
    """A workbook written by openpyxl whose parts are replaced (or removed, for None), as a damaged or
    hand-made file would have them."""
    source = zipfile.ZipFile(io.BytesIO(base or xlsx_bytes(ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = source.namelist()
        for name in names + [name for name in parts if name not in names]:
            content = parts[name] if name in parts else source.read(name)
            if content is not None:
                archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def xlsx_with_sheet_rows(rows_xml: str) -> bytes:
    """A workbook whose first sheet has the template's two required headers, then `rows_xml`."""
    return xlsx_with_parts({SHEET_PART: SHEET_XML.format(rows=rows_xml)})


def xlsx_with_shared_strings(rows_xml: str, strings: list[str]) -> bytes:
    """Like xlsx_with_sheet_rows, with a shared-strings part (as Excel writes text cells)."""
    base = xlsx_bytes(ROWS)
    source = zipfile.ZipFile(io.BytesIO(base))
    relation = (
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml" Id="rId99" /></Relationships>'
    )
    content_type = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return xlsx_with_parts(
        {
            SHEET_PART: SHEET_XML.format(rows=rows_xml),
            SHARED_STRINGS_PART: (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>'
            ),
            "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels")
            .decode()
            .replace("</Relationships>", relation),
            "[Content_Types].xml": source.read("[Content_Types].xml")
            .decode()
            .replace("</Types>", content_type),
        },
        base,
    )
