"""Reading the companies spreadsheet: CSV (any Spanish-locale export) or XLSX, safely, with core.tables.

Every problem with the file as a whole raises FileProblem with a message for the accountant; the
rows come out as dicts keyed by column ("name", "tax_id", "phone", "email", "country").
"""

from django.utils.translation import gettext_lazy

from core.tables import Table, TableSpec, read_table

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

REQUIRED = ("name", "tax_id")
# The template's headers (the file format speaks Spanish, like the accountants who fill it in).
TEMPLATE_COLUMNS = {
    "name": "Nombre de la empresa",
    "tax_id": "NIT o identificación",
    "phone": "Teléfono celular (opcional)",
    "email": "Correo electrónico (opcional)",
    "country": "País (opcional)",
}
# Accepted headers, compared without accents, case, punctuation or "(opcional)".
HEADERS = {
    "name": {
        "nombre de la empresa",
        "nombre empresa",
        "nombre",
        "empresa",
        "razon social",
        "company name",
        "company",
        "name",
        "business name",
    },
    "tax_id": {
        "nit o identificacion",
        "nit",
        "identificacion",
        "nit o identificacion tributaria",
        "identificacion tributaria",
        "numero de identificacion",
        "tax id",
        "taxid",
        "tax id number",
        "nit or tax id",
        "tax identification number",
    },
    "phone": {
        "telefono celular",
        "telefono",
        "celular",
        "movil",
        "telefono movil",
        "mobile phone",
        "mobile",
        "phone",
        "cell phone",
        "phone number",
    },
    "email": {"correo electronico", "correo", "email", "e mail", "mail", "email address"},
    "country": {"pais", "country"},
}


SPEC = TableSpec(
    headers=TEMPLATE_COLUMNS,
    aliases={key: tuple(sorted(aliases)) for key, aliases in HEADERS.items()},
    required=REQUIRED,
    max_rows=MAX_ROWS,
    max_bytes=MAX_BYTES,
    no_rows=gettext_lazy("The file has the headers but no company below them."),
)


def parse_spreadsheet(*, file_name: str, data: bytes, sheet_name: str = "") -> Table:
    """The file's companies, or core.tables.FileProblem: never another exception, whatever the bytes."""
    return read_table(spec=SPEC, file_name=file_name, data=data, sheet_name=sheet_name)
