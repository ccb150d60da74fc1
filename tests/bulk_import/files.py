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
