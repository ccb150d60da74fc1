"""Error pages in Chromium: Spanish, in the product's look, with a way back; the revoked accountant's tab."""

import pytest

from firms.models import CompanyAccess
from tests.browser.pages import log_in
from tests.factories import CompanyAccessFactory, CompanyFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.error_urls"),
]


def _log_in(page, base_url, email):
    log_in(page, base_url, email)
    page.wait_for_url("**/contador/")


def _looks_like_the_product(page):
    brand = page.locator(".topbar .brand")
    return (
        brand.is_visible()
        and page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        == "rgb(15, 92, 122)"
    )


def test_error_pages_are_spanish_in_the_products_look_with_a_way_back(live_server, new_page, shot):
    accountant = WorkspaceMemberFactory().user
    page = new_page()
    _log_in(page, live_server.url, accountant.email)
    for path, status, heading in (
        ("/no-existe/", 404, "Página no encontrada"),
        ("/prueba/403/", 403, "No puedes hacer esto"),
        ("/prueba/400/", 400, "No entendimos esta solicitud"),
        ("/prueba/500/", 500, "Algo salió mal"),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status, path
        assert page.get_by_role("heading", name=heading).is_visible(), path
        assert _looks_like_the_product(page), path
        assert page.locator("html").get_attribute("lang").startswith("es")
        shot(page, f"error-{status}")
        page.get_by_role("link", name="Ir a mi Espacio Contador").click()
        page.wait_for_url("**/contador/")


def test_a_revoked_accountant_reloading_a_company_tab_is_told_and_offered_a_way_back(
    live_server, new_page, shot
):
    accountant = WorkspaceMemberFactory().user
    workspace = accountant.workspace_memberships.get().workspace
    access = CompanyAccessFactory(workspace=workspace, company=CompanyFactory(name="Café Macondo S.A.S."))
    company = access.company
    page = new_page()
    try:
        _log_in(page, live_server.url, accountant.email)
        page.goto(f"{live_server.url}{company.get_absolute_url()}")
        assert page.get_by_role("heading", name="Café Macondo S.A.S.").is_visible()
        CompanyAccess.objects.filter(pk=access.pk).update(status="revoked")  # the client revoked it
        response = page.reload()
        assert response.status == 403
        assert page.get_by_role("heading", name="Ya no tienes acceso a esta empresa").is_visible()
        assert page.get_by_text("Café Macondo S.A.S. revocó el acceso").is_visible()
        shot(page, "error-revoked-access")
        page.get_by_role("link", name="Volver a mis empresas vinculadas").click()
        page.wait_for_url("**/contador/")
        assert page.locator(".company-table").get_by_text("Revocado").is_visible()
    finally:
        company.refresh_from_db()
        drop_schema(company.schema_name)
