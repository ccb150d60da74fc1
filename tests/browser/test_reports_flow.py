"""The reports in Chromium: the trial balance, a drill-down to the lines and to one comprobante, the XLSX."""

import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from books.demo import seed_books
from firms.models import CompanyAccess
from firms.services.provisioning import company_provision
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

from .conftest import ARTIFACTS
from .pages import log_in

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
    lines = "table.report-table tbody tr:not(.group-row, .opening-row, .subtotal-row)"
    first_line = page.locator(lines).first
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


def _pdf_text(path) -> tuple[int, str]:
    """Pages and text of a PDF, with poppler-utils (scripts/system-deps.sh installs it)."""
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    assert pdfinfo and pdftotext, "poppler-utils is missing: bash scripts/system-deps.sh"
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return pages, text.stdout


def test_the_journal_prints_every_comprobante_of_the_period_with_page_n_of_m(
    live_server, new_page, shot, company_with_books
):
    """A quarter of the demo books is several sheets: every comprobante is on them, and each sheet says
    "Página N de M" (CSS page margin boxes, which Chromium prints)."""
    from books.models import Entry

    accountant, company = company_with_books
    with schema_context(company.schema_name):
        last = Entry.objects.filter(status="posted").latest("date").date
        start = (last.replace(day=1) - timezone.timedelta(days=60)).replace(day=1)
        labels = [e.label for e in Entry.objects.filter(status="posted", date__range=(start, last))]
    assert len(labels) > 50  # more than one screen page of the libro diario
    page = new_page()
    log_in(page, live_server.url, accountant.email, next_url=f"/c/{company.slug}/")
    page.get_by_role("link", name="Libro diario").click()
    page.goto(f"{page.url}?desde={start.isoformat()}&hasta={last.isoformat()}&imprimir=1")
    page.get_by_role("heading", name="Libro diario").wait_for()
    shot(page, "reports-04-journal-print", full_page=False)
    path = ARTIFACTS / "reports-04-journal-print.pdf"
    page.pdf(path=str(path), format="A4")
    pages, text = _pdf_text(path)
    assert pages > 2
    assert [f"Página {n} de {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    words = set(re.findall(r"\b[A-Z]{2}-\d+\b", text))
    assert set(labels) <= words  # every comprobante of the period, not the first 50


def test_the_auxiliary_of_a_group_shows_each_account_with_its_own_balance(
    live_server, new_page, shot, company_with_books
):
    accountant, company = company_with_books
    page = new_page()
    log_in(page, live_server.url, accountant.email, next_url=f"/c/{company.slug}/")
    page.get_by_role("link", name="Libro auxiliar").click()
    page.locator("#id_cuenta").fill("11")
    page.get_by_role("button", name="Mostrar").click()
    page.get_by_text("Cada cuenta (y, por tercero, cada tercero dentro de ella)").wait_for()
    assert page.locator("tr.group-row").count() >= 2
    assert page.locator("tr.subtotal-row").first.is_visible()
    shot(page, "reports-05-auxiliary-by-account", full_page=False)
