"""The reports in Chromium: the trial balance, a drill-down to the lines and to one comprobante, the XLSX."""

import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from books.demo import seed_books
from firms.models import CompanyAccess
from firms.services import company_provision
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def company_with_books():
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    company = CompanyFactory(name="Distribuidora La Sabana S.A.S.", country="CO")
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    company = company_provision(company_id=company.pk)
    with schema_context(company.schema_name):
        seed_books(seed=3)
    yield member.user, company
    drop_schema(company.schema_name)


def test_trial_balance_drill_down_to_a_comprobante_and_the_xlsx(
    live_server, new_page, shot, tmp_path, company_with_books
):
    accountant, company = company_with_books
    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/c/{company.slug}/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("link", name="Balance de prueba").click()
    today = timezone.localdate()
    year_ago = today.replace(day=1, year=today.year - 1)
    page.locator("#id_desde").fill(year_ago.isoformat())
    page.locator("#id_nivel").select_option("cuenta")
    page.get_by_role("button", name="Mostrar").click()
    page.get_by_text("Los débitos son iguales a los créditos").wait_for()
    shot(page, "reports-01-trial-balance")

    page.get_by_role("row", name=re.compile("CLIENTES")).get_by_role("link", name="1305").click()
    page.get_by_role("heading", name="Libro auxiliar").wait_for()
    first_line = page.locator("table.report-table tbody tr").nth(1)
    label = first_line.get_by_role("link").first.inner_text()
    shot(page, "reports-02-auxiliary")
    first_line.get_by_role("link").first.click()
    page.get_by_role("heading", name=re.compile(label)).wait_for()
    assert page.get_by_text("130505", exact=False).first.is_visible()
    shot(page, "reports-03-comprobante")

    page.go_back()
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    path = tmp_path / "balance.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == company.name and sheet.freeze_panes == "A8"
    rows = list(sheet.iter_rows(min_row=8, values_only=True))
    assert rows and all(isinstance(row[0], str) for row in rows)  # codes as text
    assert all(isinstance(value, int | float) for row in rows for value in row[2:6])  # amounts as numbers
    assert round(sum(row[3] for row in rows), 2) == round(sum(row[4] for row in rows), 2)
