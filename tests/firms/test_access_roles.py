"""Role and assignment tests, generated from the URL list: every company-area URL answers a contador or an
auxiliar with the assignment as it answers the owner, is 404 once the assignment is gone (on the next
request), never lets an auxiliar post; workspace URLs are the managers' or anyone's, 404 for a removed member
and for another workspace's administrator (outsider and anonymous tests of every URL: test_access.py)."""

import pytest
from django.urls import resolve

from firms.models import CompanyAccess, CompanyAssignment, WorkspaceMember
from firms.services.team import assignment_remove, team_member_remove
from tests.factories import UserFactory, WorkspaceMemberFactory
from tests.urls_under_test import company_urls, workspace_urls

COMPANY_URLS = company_urls()
WORKSPACE_URLS = workspace_urls()
METHODS = ["get", "post"]


def _view(url: str):
    return resolve(url).func


def _is_posting(app_url, company) -> bool:
    return getattr(_view(app_url.url(company)), "posting", False)


POSTING_NAMES = {
    "books:entry_post",
    "books:entry_annul",
    "books:entry_reverse",
    "books:periods",
    "books:journal_confirm",
    "books:opening_balances",
}


@pytest.fixture
def access(workspace, linked_company) -> CompanyAccess:
    return CompanyAccess.objects.get(workspace=workspace, company=linked_company)


def _member(workspace, role: str, access: CompanyAccess | None = None) -> WorkspaceMember:
    member = WorkspaceMemberFactory(workspace=workspace, role=role)
    if access is not None:
        CompanyAssignment.objects.create(access=access, member=member)
    return member


@pytest.fixture
def contador(workspace, access):
    return _member(workspace, "accountant", access)


@pytest.fixture
def auxiliar(workspace, access):
    return _member(workspace, "assistant", access)


def test_the_posting_views_are_marked(linked_company):
    marked = {u.name for u in COMPANY_URLS if _is_posting(u, linked_company)}
    assert marked == POSTING_NAMES


# Company pages for the workspace's owner and administrators only (403 that says so for the others).
MANAGER_NAMES = {"company:client_invite"}


def test_the_managers_only_company_views_are_marked(linked_company):
    marked = {u.name for u in COMPANY_URLS if getattr(_view(u.url(linked_company)), "managers_only", False)}
    assert marked == MANAGER_NAMES


@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_company_url_answers_an_assigned_contador_and_auxiliar_reading_as_the_owner(
    client, accountant, contador, auxiliar, linked_company, app_url
):
    url = app_url.url(linked_company)
    client.force_login(accountant)
    owner_status = client.get(url).status_code
    for member in (contador, auxiliar):
        client.force_login(member.user)
        response = client.get(url)
        if app_url.name in MANAGER_NAMES:
            assert (owner_status, response.status_code) == (200, 403), member.role
            assert "propietario y los administradores" in response.content.decode()
        else:
            assert response.status_code == owner_status, member.role


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", COMPANY_URLS, ids=lambda u: u.name)
def test_company_url_is_404_on_the_next_request_after_the_assignment_is_removed(
    client, contador, linked_company, app_url, method
):
    url = app_url.url(linked_company)
    client.force_login(contador.user)
    assert client.get(linked_company.get_absolute_url()).status_code == 200
    assignment_remove(assignment=contador.assignments.get())
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert linked_company.name not in response.content.decode()


@pytest.mark.parametrize(
    "app_url", [u for u in COMPANY_URLS if u.name in POSTING_NAMES], ids=lambda u: u.name
)
def test_posting_url_refuses_an_auxiliar(client, auxiliar, linked_company, app_url):
    client.force_login(auxiliar.user)
    response = client.post(app_url.url(linked_company), {"action": "lock", "until": "2026-01-31"})
    assert response.status_code == 403
    assert "auxiliar" in response.content.decode()


# Workspace URLs ---------------------------------------------------------------------------------


def _managers_only(app_url, company) -> bool:
    return getattr(_view(app_url.url(company)), "managers_only", False)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", WORKSPACE_URLS, ids=lambda u: u.name)
def test_workspace_url_for_a_contador_and_an_auxiliar(client, contador, auxiliar, access, app_url, method):
    """Team, clients and settings are the managers' (403 that says so); the rest opens as for anyone."""
    url = app_url.url(access.company)
    for member in (contador, auxiliar):
        client.force_login(member.user)
        response = getattr(client, method)(url)
        if _managers_only(app_url, access.company):
            assert response.status_code == 403, member.role
            assert "propietario y los administradores" in response.content.decode()
        else:
            assert response.status_code not in (403, 404), member.role


@pytest.mark.parametrize("app_url", WORKSPACE_URLS, ids=lambda u: u.name)
def test_workspace_url_is_404_for_a_removed_member(client, workspace, access, app_url):
    member = _member(workspace, "admin", access)
    client.force_login(member.user)
    url = app_url.url(access.company)
    team_member_remove(member=member)
    if app_url.name in {"firms:workspace_home", "firms:company_switcher"}:
        response = client.get(url)  # pages for users without workspace: no company of it
        assert access.name not in response.content.decode()
    else:
        assert client.post(url).status_code == 404


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("app_url", [u for u in WORKSPACE_URLS if u.is_object_url], ids=lambda u: u.name)
def test_workspace_object_url_is_404_for_another_workspaces_administrator(
    client, linked_company, app_url, method
):
    admin = WorkspaceMemberFactory(role="admin", user=UserFactory())
    client.force_login(admin.user)
    assert getattr(client, method)(app_url.url(linked_company)).status_code == 404


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "app_url", [u for u in WORKSPACE_URLS if u.name.startswith("team:")], ids=lambda u: u.name
)
def test_team_url_sends_anonymous_to_login(client, linked_company, app_url, method):
    response = getattr(client, method)(app_url.url(linked_company))
    assert response.status_code == 302 and response.url.startswith("/cuentas/login/?next=")
