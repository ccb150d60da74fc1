"""The books in Chromium: a comprobante entered with the keyboard, posted, annulled; an import with one bad
comprobante, its preview, the job, and the result file."""

import re

import pytest
from celery.contrib.testing.worker import start_worker
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from accountant_portal.celery import app
from books.models import Entry
from firms.models import CompanyAccess
from firms.services.provisioning import company_provision
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]

IMPORT = (
    "Tipo de comprobante;Número;Fecha;Cuenta;NIT del tercero;Nombre del tercero;Centro de costo;Descripción;"
    "Débito;Crédito\n"
    "RC;15;10/03/2026;110505;900123456-8;Cliente Uno S.A.S.;;Recaudo factura 3;2.500.000;\n"
    "RC;15;10/03/2026;130505;900123456-8;Cliente Uno S.A.S.;;Recaudo factura 3;;2.500.000\n"
    "RC;16;11/03/2026;110505;;;;Descuadrado;100.000;\n"
    "RC;16;11/03/2026;130505;900123456-8;;;Descuadrado;;90.000\n"
)


@pytest.fixture
def books_company():
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    company = CompanyFactory(name="Ferretería El Tornillo S.A.S.", country="CO")
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    company = company_provision(company_id=company.pk)
    yield member.user, company
    drop_schema(company.schema_name)


def test_keyboard_entry_post_annul_and_import_with_a_report(
    live_server, new_page, shot, tmp_path, books_company
):
    accountant, company = books_company
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/cuentas/login/?next=/c/{company.slug}/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("link", name="Comprobantes").click()
    page.get_by_role("link", name="Nuevo comprobante").click()

    # Keyboard only: Enter moves on; Enter on the last field adds a line carrying the difference.
    page.locator("#id_description").fill("Venta de mostrador")
    account = page.locator("[data-lines] [data-field=account]").first
    account.click()
    page.keyboard.type("110505")
    for _ in range(4):
        page.keyboard.press("Enter")
    page.keyboard.type("1.190.000")
    for _ in range(2):
        page.keyboard.press("Enter")  # to the credit field, then to the second line's account
    page.keyboard.type("413595")
    for _ in range(5):
        page.keyboard.press("Enter")
    page.keyboard.type("1.000.000")
    assert page.locator("[data-difference]").inner_text() == "190.000,00"
    page.keyboard.press("Enter")  # the last field: a third line, with 190.000 already as its credit
    assert page.locator("[data-lines] [data-amount=credit]").nth(2).input_value() == "190.000,00"
    page.keyboard.type("240800")
    assert page.locator("[data-difference]").inner_text() == "0,00"
    shot(page, "books-01-keyboard-entry")
    page.keyboard.press("Control+Enter")
    page.get_by_role("heading", name=re.compile("CC-1")).wait_for()
    assert page.get_by_text("Contabilizado", exact=True).first.is_visible()
    shot(page, "books-02-posted")

    page.get_by_label("¿Por qué se anula?").fill("Venta registrada dos veces")
    page.get_by_role("button", name="Anular").click()
    page.get_by_text("su número se conserva y su efecto desaparece").wait_for()
    with schema_context(company.schema_name):
        entry = Entry.objects.get()
        assert (entry.status, entry.number, entry.total) == ("annulled", 1, 1190000)
    shot(page, "books-03-annulled")

    page.get_by_role("link", name="Todos los comprobantes").click()
    page.get_by_role("link", name="Importar comprobantes").click()
    path = tmp_path / "recaudos.csv"
    path.write_text(IMPORT, encoding="cp1252")
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Revisar el archivo").click()
    page.get_by_role("heading", name="Revisa antes de contabilizar").wait_for()
    refused = page.get_by_role("row", name=re.compile("RC-16"))
    assert "difieren en 10.000,00" in refused.inner_text()
    shot(page, "books-04-import-preview")
    page.get_by_role("button", name="Contabilizar 1 comprobante").click()
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        page.get_by_role("heading", name="Resultado de la carga").wait_for(timeout=30_000)
    shot(page, "books-05-import-result")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el resultado (.xlsx)").click()
    report = tmp_path / "resultado.xlsx"
    download.value.save_as(report)
    rows = [[cell.value for cell in row] for row in load_workbook(report).active.iter_rows(min_row=2)]
    assert [(row[0], row[1], row[5]) for row in rows] == [
        ("RC", 15, "Contabilizado"),
        ("RC", 16, "Rechazado"),
    ]
    with schema_context(company.schema_name):
        assert Entry.objects.get(voucher_type__code="RC").number == 15

    # The good comprobante's file uploaded again: told it was imported, not to correct it.
    page.get_by_role("link", name="Ir a comprobantes").first.click()
    page.get_by_role("link", name="Importar comprobantes").click()
    path.write_text("\n".join(IMPORT.splitlines()[:3]) + "\n", encoding="cp1252")
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Revisar el archivo").click()
    page.get_by_text("Este archivo ya se importó").wait_for()
    assert "Corrige el archivo" not in page.locator("main").inner_text()
    shot(page, "books-06-import-again")


def test_a_reversal_with_its_own_type_and_date_is_linked_both_ways(
    live_server, new_page, shot, books_company
):
    from datetime import date

    from tests.books.conftest import post

    accountant, company = books_company
    with schema_context(company.schema_name):
        invoice = post(accountant, [("130505", "1190000", 0), ("413595", 0, "1190000")], voucher="FV")
    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/c/{company.slug}/comprobantes/{invoice.pk}/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("heading", name=re.compile("FV-1")).wait_for()

    page.get_by_label("Fecha de la reversión").fill("2026-03-20")
    page.get_by_label("Tipo de la reversión").select_option(label="NC Nota crédito")
    shot(page, "books-06-reverse-form")
    page.get_by_role("button", name="Reversar").click()
    page.get_by_role("heading", name=re.compile("NC-1")).wait_for()
    assert page.get_by_text("Reversa de FV-1", exact=True).is_visible()
    assert page.get_by_text("Reversión de FV-1", exact=True).first.is_visible()
    shot(page, "books-07-reversal")

    page.get_by_role("link", name="FV-1").click()
    page.get_by_role("heading", name=re.compile("FV-1")).wait_for()
    assert page.get_by_text("Reversado por NC-1", exact=True).is_visible()
    # Neither annulled (that would cancel it twice) nor reversed again; the page says how to undo it.
    assert page.get_by_role("button", name="Anular").count() == 0
    assert page.get_by_role("button", name="Reversar").count() == 0
    assert page.get_by_text("para deshacer la reversión, anula NC-1").is_visible()
    shot(page, "books-08-reversed")
    with schema_context(company.schema_name):
        reversal = Entry.objects.get(reversal_of=invoice)
        assert (reversal.label, reversal.date) == ("NC-1", date(2026, 3, 20))
