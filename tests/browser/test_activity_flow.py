"""Registro de actividad in Chromium: the accountant posts a comprobante; the company's owner opens the
company's activity log and sees who posted it, on a computer and on a phone."""

import re

import pytest

from firms.models import CompanyAccess, CompanyMember
from firms.services.provisioning import company_provision
from tests.factories import CompanyFactory, CompanyMemberFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

from .pages import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]


@pytest.fixture
def shared_company():
    accountant = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña")).user
    company = CompanyFactory(name="Ferretería El Tornillo S.A.S.", country="CO")
    CompanyAccess.objects.create(
        workspace=accountant.workspace_memberships.get().workspace, company=company, status="active"
    )
    owner = CompanyMemberFactory(company=company, role=CompanyMember.Role.OWNER, user=UserFactory()).user
    company = company_provision(company_id=company.pk)
    yield accountant, owner, company
    drop_schema(company.schema_name)


def test_the_owner_sees_the_accountants_posting_in_the_company_log(
    live_server, new_page, shot, shared_company
):
    accountant, owner, company = shared_company
    page = new_page()
    log_in(page, live_server.url, accountant.email, next_url=f"/c/{company.slug}/comprobantes/nuevo/")
    page.locator("#id_description").fill("Venta de mostrador")
    page.locator("[data-lines] [data-field=account]").first.click()
    page.keyboard.type("110505")
    for _ in range(4):
        page.keyboard.press("Enter")
    page.keyboard.type("500.000")
    for _ in range(2):
        page.keyboard.press("Enter")
    page.keyboard.type("413595")
    for _ in range(5):
        page.keyboard.press("Enter")
    page.keyboard.type("500.000")
    page.keyboard.press("Control+Enter")
    page.get_by_role("heading", name=re.compile("CC-1")).wait_for()

    # The accountant's own workspace log has it too.
    page.goto(f"{live_server.url}/contador/actividad/")
    assert page.get_by_role("cell", name="Comprobante contabilizado").is_visible()
    shot(page, "activity-00-workspace-log")

    owner_page = new_page()
    log_in(owner_page, live_server.url, owner.email, next_url=f"/c/{company.slug}/")
    owner_page.get_by_role("link", name="Registro de actividad").click()
    owner_page.get_by_role("heading", name="Registro de actividad").wait_for()
    row = owner_page.locator("tbody tr", has_text="Comprobante contabilizado")
    assert row.count() == 1
    text = row.inner_text()
    assert (
        "CC-1" in text and "Laura Peña" in text and accountant.email in text and "Venta de mostrador" in text
    )
    assert accountant.workspace_memberships.get().workspace.name in text
    shot(owner_page, "activity-01-company-log")

    owner_page.get_by_label("Acción").select_option(label="Comprobante contabilizado")
    owner_page.get_by_role("button", name="Filtrar").click()
    owner_page.get_by_text("1 evento").wait_for()

    phone = new_page(phone=True)
    log_in(phone, live_server.url, owner.email, next_url=f"/c/{company.slug}/actividad/")
    phone.get_by_role("heading", name="Registro de actividad").wait_for()
    assert phone.locator("tbody tr", has_text="Comprobante contabilizado").is_visible()
    shot(phone, "activity-02-company-log-phone")
