import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from bulk_import.models import ImportJob
from bulk_import.services import import_process
from firms.models import Company
from tests.factories import valid_nit
from tests.queries import page_queries

from .files import csv_bytes

UPLOAD = "/contador/clientes/importar/"
NITS = [f"{n}-{valid_nit(n)[1]}" for n in range(903_000_000, 903_000_003)]


def _upload(client, data, name="clientes.csv", **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **extra})


def test_template_downloads(accountant_client):
    xlsx = accountant_client.get(f"{UPLOAD}plantilla.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    headers = [cell.value for cell in workbook["Empresas"][1]]
    assert headers[:4] == [
        "Nombre de la empresa",
        "NIT o identificación",
        "Teléfono celular (opcional)",
        "Correo electrónico (opcional)",
    ]
    assert len(workbook.sheetnames) == 2  # and the instructions
    csv = accountant_client.get(f"{UPLOAD}plantilla.csv")
    assert csv.content.startswith(b"\xef\xbb\xbfNombre de la empresa;NIT o identificaci")
    assert accountant_client.get(f"{UPLOAD}plantilla.pdf").status_code == 404


def test_upload_shows_the_preview_with_row_errors(accountant_client):
    response = _upload(
        accountant_client,
        csv_bytes([["Nueva", NITS[0], "", ""], ["Mala", "900.123.456-7", "", ""]]),
    )
    assert response.status_code == 302
    page = accountant_client.get(response.url)
    body = page.content.decode()
    assert "Revisa antes de crear" in body and "Fila 3" in body and "Confirmar 1 fila" in body
    assert not Company.objects.filter(tax_id=NITS[0][:9]).exists()


def test_the_preview_shows_email_phone_and_country_and_counts_only_the_rows_to_add(
    accountant_client, linked_company
):
    response = _upload(
        accountant_client,
        csv_bytes(
            [
                ["Nueva", NITS[0], "300 123 4567", "nueva@example.com", "Colombia"],
                ["Otra", NITS[1], "", "", "México"],
                ["Peña", "900.123.456-8", "", "", ""],  # already linked: skipped
            ],
            headers=["Nombre de la empresa", "NIT o identificación", "Teléfono", "Correo", "País"],
        ),
    )
    body = accountant_client.get(response.url).content.decode()
    assert "nueva@example.com" in body and "+573001234567" in body
    assert "Colombia" in body and "México" in body
    assert "Confirmar 1 fila" in body  # México's row has an invalid tax ID for Mexico; Peña is skipped
    assert "se agregará a tu Espacio Contador" in body and "por agregar" in body


def test_the_preview_tells_when_a_company_that_declined_can_be_asked_again(accountant_client, workspace):
    from tests.factories import LinkRequestFactory

    LinkRequestFactory(workspace=workspace, tax_id=NITS[0][:9], status="declined")
    response = _upload(
        accountant_client, csv_bytes([["Rechazó", NITS[0], "", ""], ["Nueva", NITS[1], "", ""]])
    )
    body = accountant_client.get(response.url).content.decode()
    assert "la empresa rechazó tu solicitud el" in body and "puedes volver a pedirla desde el" in body
    assert "Confirmar 1 fila" in body  # the declined company's row is not added


def test_bad_file_is_refused_with_a_message_and_no_job(accountant_client):
    response = _upload(accountant_client, b"", name="vacio.csv")
    assert response.status_code == 200 and "vacío" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_big_file_is_refused_before_parsing(accountant_client, monkeypatch):
    monkeypatch.setattr("bulk_import.services.parse_spreadsheet", lambda **kw: pytest.fail("parsed"))
    response = _upload(accountant_client, b"x" * (5 * 1024 * 1024 + 1))
    assert "5 MB" in response.content.decode()


def test_confirm_queues_the_job_and_the_page_follows_it_to_the_result(accountant_client):
    job_url = _upload(
        accountant_client, csv_bytes([["Nueva", NITS[0], "", ""], ["Otra", NITS[1], "", ""]])
    ).url
    job = ImportJob.objects.get()
    accountant_client.post(f"{job_url}confirmar/")
    job.refresh_from_db()
    assert job.status == "queued"
    progress = accountant_client.get(f"{job_url}progreso/", headers={"HX-Request": "true"})
    assert "<progress" in progress.content.decode() and "HX-Refresh" not in progress.headers
    import_process(job_id=job.pk)  # what the worker does
    progress = accountant_client.get(f"{job_url}progreso/", headers={"HX-Request": "true"})
    assert progress.headers["HX-Refresh"] == "true"
    result = accountant_client.get(job_url).content.decode()
    assert "Resultado de la carga" in result and "Creada" in result
    report = accountant_client.get(f"{job_url}resultado.xlsx")
    rows = list(load_workbook(io.BytesIO(report.content)).active.values)
    assert len(rows) == 3 and rows[1][0] == 2


def test_confirming_twice_runs_once(accountant_client):
    job_url = _upload(accountant_client, csv_bytes([["Nueva", NITS[0], "", ""]])).url
    accountant_client.post(f"{job_url}confirmar/")
    job = ImportJob.objects.get()
    import_process(job_id=job.pk)
    accountant_client.post(f"{job_url}confirmar/")
    assert ImportJob.objects.get().status == "done"


def test_job_page_query_count_is_the_same_for_3_and_60_rows(accountant_client, workspace, accountant):
    from bulk_import.services import import_preview

    def job(rows):
        data = csv_bytes(
            [[f"E {n}", f"{940_000_000 + n}-{valid_nit(940_000_000 + n)[1]}", "", ""] for n in range(rows)]
        )
        return import_preview(workspace=workspace, user=accountant, file_name="a.csv", data=data)

    small = page_queries(accountant_client, f"{UPLOAD}{job(3).pk}/")
    large = job(60)
    assert large.rows.count() == 60
    assert page_queries(accountant_client, f"{UPLOAD}{large.pk}/") == small
