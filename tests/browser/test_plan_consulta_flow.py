"""Plan consulta in Chromium: the pages show what they allow (controls disabled or hidden, one note)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from firms.models import Company
from tests.browser.pages import log_in
from tests.factories import CompanyAccessFactory, CompanyFactory, LinkRequestFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_consulta_disables_every_write_control_and_points_to_the_plan(live_server, new_page, shot):
    accountant = WorkspaceMemberFactory(
        workspace__trial_ends_on=timezone.localdate() - timedelta(days=1)
    ).user
    workspace = accountant.workspace_memberships.get().workspace
    company = CompanyAccessFactory(
        workspace=workspace,
        company=CompanyFactory(name="Café Macondo S.A.S.", tax_responsibilities=["05", "48"]),
    ).company
    LinkRequestFactory(workspace=workspace, name="Ferretería Núñez S.A.S.")
    page = new_page()
    try:
        log_in(page, live_server.url, accountant.email)
        page.wait_for_url("**/contador/")

        # The list: no "Añadir cliente", no resend or withdraw; the banner says why, once.
        assert page.get_by_text("Estás en el plan consulta").is_visible()
        assert not page.locator(".page-header").get_by_role("link", name="Añadir cliente").count()
        request_row = page.get_by_role("row", name=re.compile("Ferretería Núñez"))
        assert not request_row.get_by_role("button").count()
        assert (
            page.get_by_role("row", name=re.compile("Café Macondo"))
            .get_by_role("link", name="Ingresar")
            .is_visible()
        )
        shot(page, "consulta-01-list")

        # A form: every field disabled, one note with the way to the plan page.
        page.goto(f"{live_server.url}/contador/clientes/anadir/")
        assert page.get_by_label("Razón social").is_disabled()
        assert page.get_by_role("button", name="Invitar").is_disabled()
        note = page.get_by_role("note")
        assert "Plan consulta" in note.inner_text()
        shot(page, "consulta-02-form-disabled")
        note.get_by_role("link", name="Activa un plan pago").click()
        page.wait_for_url("**/contador/plan/")
        assert page.get_by_role("heading", name="Cómo activar un plan pago").is_visible()

        # The import: upload disabled.
        page.goto(f"{live_server.url}/contador/clientes/importar/")
        assert page.get_by_role("button", name="Subir y revisar").is_disabled()

        # In the company: its data disabled, no "Marcar como presentada", no "Invitar al cliente".
        page.goto(f"{live_server.url}{company.get_absolute_url()}")
        assert not page.get_by_role("link", name="Invitar al cliente").count()
        page.goto(f"{live_server.url}/c/{company.slug}/datos/")
        assert page.get_by_label("Teléfono").is_disabled()
        assert page.get_by_role("button", name="Guardar").is_disabled()
        page.goto(f"{live_server.url}/c/{company.slug}/calendario/?dias=90")
        assert page.get_by_text("IVA bimestral: declaración y pago").first.is_visible()
        assert not page.get_by_role("button", name="Marcar como presentada").count()
        shot(page, "consulta-03-company-calendar")

        # The server still refuses a write sent anyway (the guard stays).
        refused = page.evaluate(
            """async () => {
                 const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
                 const response = await fetch(location.pathname + "presentada/",
                                              {method: "POST", headers: {"X-CSRFToken": token}});
                 return [response.status, await response.text()];
               }"""
        )
        assert refused[0] == 403 and "plan consulta" in refused[1]
    finally:
        drop_schema(Company.objects.get(pk=company.pk).schema_name)
