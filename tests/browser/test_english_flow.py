"""English in Chromium: the language switch turns the comprobantes, a comprobante typed with English amounts
and the activity log into English dates, amounts and names."""

import re
from datetime import date

import pytest
from django_tenants.utils import schema_context

from books.models import Entry
from firms.models import CompanyAccess
from firms.services.provisioning import company_provision
from tests.books.conftest import post
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

from .pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def company_in_march():
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    company = CompanyFactory(name="Panadería La Espiga S.A.S.", country="CO")
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    company = company_provision(company_id=company.pk)
    with schema_context(company.schema_name):
        post(
            member.user,
            [("130505", "1234567.89", 0), ("413595", 0, "1234567.89")],
            day=date(2026, 3, 25),
            voucher="FV",
        )
    yield member.user, company
    drop_schema(company.schema_name)


def test_switching_to_english_shows_english_dates_amounts_and_names(
    live_server, new_page, shot, company_in_march
):
    accountant, company = company_in_march
    page = new_page()
    log_in(page, live_server.url, accountant.email, next_url=f"/c/{company.slug}/comprobantes/")
    row = page.get_by_role("row", name=re.compile("FV-1"))
    assert "25/03/2026" in row.inner_text() and "1.234.567,89" in row.inner_text()

    page.locator("#language-select").select_option("en")  # submits itself, back to the same page
    page.get_by_role("heading", name="Comprobantes").wait_for()
    page.locator("html[lang=en]").wait_for()
    row = page.get_by_role("row", name=re.compile("FV-1"))
    assert "03/25/2026" in row.inner_text() and "1,234,567.89" in row.inner_text()
    shot(page, "english-01-comprobantes")

    page.get_by_role("link", name="New comprobante").click()
    page.locator("#id_voucher_type").select_option(label="FV Sales invoice")
    page.locator("#id_date").fill("2026-03-26")
    page.locator("#id_description").fill("Counter sale")
    accounts = page.locator("[data-lines] [data-field=account]")
    accounts.nth(0).fill("110505")
    page.locator("[data-lines] [data-amount=debit]").nth(0).fill("1,500")
    assert page.locator("[data-total=debit]").inner_text() == "1,500.00"  # fifteen hundred, not 1.50
    accounts.nth(1).fill("413595")
    page.locator("[data-lines] [data-amount=credit]").nth(1).fill("1,500.00")
    assert page.locator("[data-difference]").inner_text() == "0.00"
    shot(page, "english-02-entry-form")
    page.keyboard.press("Control+Enter")
    page.get_by_role("heading", name="Sales invoice FV-2").wait_for()
    assert page.get_by_text("March 26, 2026").first.is_visible()
    with schema_context(company.schema_name):
        assert Entry.objects.get(number=2, voucher_type__code="FV").total == 1500
    shot(page, "english-03-posted")

    page.goto(f"{live_server.url}/contador/actividad/")
    body = page.locator("main").inner_text()
    assert "03/26/2026 · 1,500.00 · Counter sale" in body and "03/25/2026 · 1,234,567.89" in body
    assert not re.search(r"\b(1[3-9]|2\d|3[01])/(0[1-9]|1[0-2])/20\d\d\b", body)
    shot(page, "english-04-activity")
