"""Outsider tests, generated from the URL list: every workspace and company-area URL is covered."""

import pytest

from firms.models import CompanyAccess
from tests.factories import CompanyAccessFactory, LinkRequestFactory, UserFactory, WorkspaceFactory
from tests.urls_under_test import company_urls, workspace_urls

COMPANY_URLS = company_urls()
WORKSPACE_URLS = workspace_urls()
METHODS = ["get", "post"]


def test_url_lists_cover_both_areas():
    names = {u.name for u in COMPANY_URLS + WORKSPACE_URLS}
    assert {"company:home", "books:account_list", "books:account_new", "firms:workspace_home"} <= names


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_company_url_is_404_for_another_workspaces_accountant(
    client, outsider, linked_company, app_url, method
):
    client.force_login(outsider)
    response = getattr(client, method)(app_url.url(linked_company))
    assert response.status_code == 404


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_company_url_is_404_for_another_companys_client(
    client, client_member, linked_company, app_url, method
):
    client.force_login(client_member)  # owns company_andes, not company_pena
    response = getattr(client, method)(app_url.url(linked_company))
    assert response.status_code == 404


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_company_url_sends_anonymous_to_login(client, linked_company, app_url, method):
    response = getattr(client, method)(app_url.url(linked_company))
    assert response.status_code == 302
    assert response.url.startswith("/cuentas/login/?next=")


@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
@pytest.mark.parametrize("status", ["pending", "declined", "withdrawn"])
def test_company_url_is_404_for_a_request_that_was_not_accepted(
    client, accountant, workspace, company_pena, app_url, status
):
    """A request (waiting, declined or withdrawn) never opens the company it matched, nor names it."""
    CompanyAccessFactory(workspace=WorkspaceFactory(), company=company_pena)  # for the URL's access id
    LinkRequestFactory(
        workspace=workspace,
        tax_id=company_pena.tax_id,
        check_digit=company_pena.check_digit,
        matched_company=company_pena,
        status=status,
    )
    client.force_login(accountant)
    response = client.get(app_url.url(company_pena))
    assert response.status_code == 404
    assert company_pena.name not in response.content.decode()


@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_a_revoked_accountant_is_told_they_no_longer_have_access(
    client, accountant, workspace, company_pena, app_url
):
    CompanyAccessFactory(workspace=workspace, company=company_pena, status="revoked")
    client.force_login(accountant)
    response = client.get(app_url.url(company_pena))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Ya no tienes acceso a esta empresa" in body and 'href="/contador/"' in body


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", WORKSPACE_URLS, ids=lambda u: u.name)
def test_workspace_url_sends_anonymous_to_login(client, linked_company, app_url, method):
    response = getattr(client, method)(app_url.url(linked_company))
    assert response.status_code == 302
    assert response.url.startswith("/cuentas/login/?next=")


# The home shows a client's own companies and the switcher searches them: both serve users without workspace.
WORKSPACE_ONLY_URLS = [
    u for u in WORKSPACE_URLS if u.name not in {"firms:workspace_home", "firms:company_switcher"}
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", WORKSPACE_ONLY_URLS, ids=lambda u: u.name)
def test_workspace_url_is_404_for_a_user_without_workspace(client, linked_company, app_url, method):
    client.force_login(UserFactory())
    assert getattr(client, method)(app_url.url(linked_company)).status_code == 404


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", [u for u in WORKSPACE_URLS if u.is_object_url], ids=lambda u: u.name)
def test_workspace_object_url_is_404_for_another_workspaces_accountant(
    client, outsider, linked_company, app_url, method
):
    client.force_login(outsider)
    assert getattr(client, method)(app_url.url(linked_company)).status_code == 404


def test_company_home_opens_for_the_linked_accountant(accountant_client, linked_company):
    response = accountant_client.get(linked_company.get_absolute_url())
    assert response.status_code == 200
    assert linked_company.name in response.content.decode()


def test_company_home_opens_for_a_company_member(client, client_member, company_andes):
    client.force_login(client_member)
    assert client.get(company_andes.get_absolute_url()).status_code == 200


def test_unknown_slug_is_404_like_a_forbidden_one(accountant_client, linked_company):
    assert accountant_client.get("/c/no-existe-123456/").status_code == 404


def test_revoking_the_access_closes_the_company_at_once(accountant_client, linked_company, workspace):
    assert accountant_client.get(linked_company.get_absolute_url()).status_code == 200
    CompanyAccess.objects.filter(workspace=workspace, company=linked_company).update(status="revoked")
    response = accountant_client.get(linked_company.get_absolute_url())
    assert response.status_code == 403 and "Ya no tienes acceso a esta empresa" in response.content.decode()


def test_the_no_longer_access_page_is_only_for_the_revoked_workspace(
    client, outsider, linked_company, workspace
):
    CompanyAccess.objects.filter(workspace=workspace, company=linked_company).update(status="revoked")
    client.force_login(outsider)
    response = client.get(linked_company.get_absolute_url())
    assert response.status_code == 404 and linked_company.name not in response.content.decode()


def test_other_workspace_accountant_sees_none_of_my_companies_in_the_switcher(
    client, outsider, linked_company
):
    client.force_login(outsider)
    response = client.get("/contador/cambiar-empresa/?q=", headers={"HX-Request": "true"})
    assert linked_company.name not in response.content.decode()


def test_other_workspace_accountant_does_not_see_my_companies_in_the_list(client, outsider, linked_company):
    client.force_login(outsider)
    response = client.get("/contador/?q=pena")
    assert linked_company.name not in response.content.decode()


def test_an_accountant_works_in_the_workspace_they_own_before_one_they_joined(db):
    from firms.access import workspace_for_user
    from tests.factories import WorkspaceMemberFactory

    user = UserFactory()
    WorkspaceMemberFactory(user=user, role="admin")
    owned = WorkspaceMemberFactory(user=user, role="owner").workspace
    assert workspace_for_user(user) == owned


def test_workspace_views_refuse_other_methods_after_the_access_check(accountant_client, client, outsider):
    assert accountant_client.put("/contador/plan/").status_code == 405
    assert accountant_client.post("/contador/clientes/importar/plantilla.csv").status_code == 405
    client.force_login(UserFactory())  # no workspace: 404 whatever the method
    assert client.put("/contador/plan/").status_code == 404


def test_company_views_refuse_other_methods_and_narrow_who_may_use_them(
    accountant_client, linked_company, client, client_member, company_andes
):
    base = linked_company.get_absolute_url()
    assert accountant_client.post(base).status_code == 405
    assert accountant_client.get(f"{base}calendario/presentada/").status_code == 405
    assert accountant_client.get(f"{base}contadores/").status_code == 404  # the company's admins only
    client.force_login(client_member)
    assert client.get(f"{company_andes.get_absolute_url()}contadores/").status_code == 200
    assert client.get(f"{company_andes.get_absolute_url()}invitar-cliente/").status_code == 404  # accountants
