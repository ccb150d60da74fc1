"""Bulk registration in Chromium: template, upload, preview with a bad row, confirm, progress, enter."""

import re
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from openpyxl import load_workbook

from accountant_portal.celery import app
from bulk_import.services import import_confirm, import_preview
from firms.models import Company
from tests.bulk_import.files import csv_bytes
from tests.factories import UserFactory, WorkspaceMemberFactory, valid_nit
from tests.schemas import drop_schema

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]


def test_download_fill_upload_preview_confirm_progress_and_enter(live_server, new_page, shot, tmp_path):
    accountant = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña")).user
    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/contador/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("link", name="Añadir múltiples clientes").first.click()
    shot(page, "import-01-upload-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Plantilla (Excel .xlsx)").click()
    template = tmp_path / "plantilla.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook["Empresas"]
    nits = [f"{n}-{valid_nit(n)[1]}" for n in (905000001, 905000002)]
    sheet.append(["Panadería La Espiga S.A.S.", nits[0], "300 555 1234", ""])
    sheet.append(["Transportes del Llano Ltda.", nits[1], "", ""])
    sheet.append(["Mala Digitación S.A.S.", "900.123.456-7", "", ""])
    workbook.save(template)

    page.locator("input[type=file]").set_input_files(template)
    page.get_by_role("button", name="Subir y revisar").click()
    page.get_by_role("heading", name="Revisa antes de crear").wait_for()
    bad_row = page.get_by_role("row", name=re.compile("Mala Digitación"))
    assert bad_row.get_by_text("Fila 4").is_visible()
    shot(page, "import-02-preview")
    assert not Company.objects.filter(tax_id="905000001").exists()  # nothing created before confirming

    page.get_by_role("button", name="Confirmar 2 filas").click()
    page.get_by_role("progressbar").wait_for()
    shot(page, "import-03-progress")
    created = []
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            page.get_by_role("heading", name="Resultado de la carga").wait_for(timeout=30_000)
        created = list(Company.objects.filter(tax_id__in=["905000001", "905000002"]))
        assert len(created) == 2
        shot(page, "import-04-result")
        page.get_by_role("link", name="Panadería La Espiga S.A.S.").click()
        page.get_by_role("heading", name="Panadería La Espiga S.A.S.").wait_for()
        shot(page, "import-05-company")
    finally:
        drop_schema(
            *[
                company.schema_name
                for company in Company.objects.filter(tax_id__in=["905000001", "905000002"])
            ]
        )


def test_a_stalled_import_says_so_and_resumes_from_its_page(live_server, new_page, shot, settings):
    accountant = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña")).user
    workspace = accountant.workspace_memberships.get().workspace
    nits = [f"{n}-{valid_nit(n)[1]}" for n in (908000001, 908000002)]
    job = import_preview(
        workspace=workspace,
        user=accountant,
        file_name="clientes.csv",
        data=csv_bytes(
            [["Café del Quindío S.A.S.", nits[0], "", ""], ["Flores de la Sabana", nits[1], "", ""]]
        ),
    )
    import_confirm(job=job)
    app.control.purge()  # the queued task is lost, as when Redis restarts without persistence
    settings.WORK_STALLED_AFTER = timedelta(seconds=1)  # minutes in production
    time.sleep(1.2)

    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/contador/clientes/importar/{job.pk}/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_text("La carga todavía no empezó.").wait_for()
    assert page.get_by_text("Empezará sola apenas el servicio vuelva", exact=False).is_visible()
    shot(page, "import-06-stalled")
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            page.get_by_role("button", name="Reanudar ahora").click()
            page.get_by_role("heading", name="Resultado de la carga").wait_for(timeout=30_000)
        shot(page, "import-07-resumed-result")
        assert Company.objects.filter(tax_id__in=["908000001", "908000002"]).count() == 2
    finally:
        drop_schema(
            *Company.objects.filter(tax_id__in=["908000001", "908000002"]).values_list(
                "schema_name", flat=True
            )
        )
