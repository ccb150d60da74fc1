"""The tax calendar in Chromium: two Colombian clients, their due dates, filters, month view, company view."""

import re
from datetime import date

import pytest

from tests.factories import CompanyAccessFactory, UserFactory, WorkspaceMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calendar_of_two_clients(live_server, new_page, shot, company_pena, company_andes, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))
    accountant = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña")).user
    workspace = accountant.workspace_memberships.get().workspace
    for company in (company_pena, company_andes):
        CompanyAccessFactory(workspace=workspace, company=company)

    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/contador/")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("link", name="Calendario tributario").click()
    page.get_by_role("heading", name="Calendario tributario").wait_for()
    assert page.get_by_role("heading", name="Vencidas").is_visible()
    march = page.locator(".due-group", has=page.get_by_role("heading", name=re.compile("13 de marzo")))
    assert march.get_by_role("link", name=company_andes.name).is_visible()
    assert (
        page.locator(".due-group", has_text="17 de marzo")
        .get_by_role("link", name=company_pena.name)
        .is_visible()
    )
    shot(page, "calendar-01-list")

    page.locator("#id_empresa").select_option(company_pena.slug)
    page.get_by_role("button", name="Filtrar").click()
    assert page.get_by_role("link", name=company_andes.name).count() == 0
    mark = page.locator(".due-group", has_text="Vencidas").get_by_role(
        "button", name="Marcar como presentada"
    )
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    mark.click()  # it asks first: dismissed, nothing changes
    assert questions and questions[0].startswith(
        "¿Marcar “IVA bimestral: declaración y pago”, periodo 2025-11/12"
    )
    assert page.get_by_role("heading", name="Vencidas").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    mark.click()
    page.get_by_text(
        "Marcada como presentada: IVA bimestral: declaración y pago, periodo 2025-11/12."
    ).wait_for()
    assert page.get_by_role("heading", name="Vencidas").count() == 0
    shot(page, "calendar-02-filtered-filed")

    page.get_by_role("link", name="Vista mensual").click()
    page.wait_for_url("**/calendario/mes/**")
    page.locator(".month-grid td.has-due").first.wait_for()  # count() does not wait for the new page
    assert page.locator(".month-grid td.has-due").count() >= 2
    shot(page, "calendar-03-month")

    page.goto(f"{live_server.url}/c/{company_andes.slug}/calendario/")
    page.get_by_role("heading", name="Calendario tributario").wait_for()
    assert page.get_by_text("IVA bimestral: declaración y pago").first.is_visible()
    shot(page, "calendar-04-company")

    # The filed obligation is listed on its company's calendar, and can be undone there.
    page.goto(f"{live_server.url}/c/{company_pena.slug}/calendario/")
    filed = page.locator("table.filings")
    assert filed.get_by_text("2025-11/12").is_visible()
    filed.get_by_role("button", name="Desmarcar presentada").click()
    page.get_by_text("Aún no hay obligaciones de esta empresa marcadas como presentadas.").wait_for()
    assert page.get_by_role("heading", name="Vencidas").is_visible()
    shot(page, "calendar-05-filing-undone")
