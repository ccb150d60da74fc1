"""Plan consulta: all readable; every write in the workspace and its companies refused, in one place."""

from datetime import timedelta

import pytest
from django.urls import resolve
from django.utils import timezone
from django_tenants.utils import schema_context

from books.models import Account
from firms.models import Workspace
from tests.urls_under_test import company_urls, workspace_urls


@pytest.fixture
def consulta(workspace):
    """The accountant's trial ended yesterday without a paid plan."""
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_on"])
    return workspace


def test_trial_lasts_until_its_last_day(workspace):
    workspace.trial_ends_on = timezone.localdate()
    assert workspace.current_plan() == Workspace.Plan.TRIAL
    assert (
        workspace.current_plan(today=workspace.trial_ends_on + timedelta(days=1)) == Workspace.Plan.CONSULTA
    )


def test_paid_workspace_never_falls_into_consulta(workspace):
    workspace.plan = Workspace.Plan.PAID
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=100)
    assert workspace.current_plan() == Workspace.Plan.PAID
    assert not workspace.is_read_only


@pytest.mark.parametrize("app_url", company_urls() + workspace_urls(), ids=lambda u: u.name)
def test_consulta_refuses_every_write_with_a_spanish_message(
    accountant_client, consulta, linked_company, app_url
):
    url = app_url.url(linked_company)
    if getattr(resolve(url).func, "plan_guard_exempt", False):
        pytest.skip("a personal setting, not the workspace's data: see test_personal_settings_stay_writable")
    response = accountant_client.post(url, {"name": "Cambio", "code": "11050598"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "plan consulta" in body
    assert "/contador/plan/" in body


# Pages an accountant reads (the rest are POST-only actions, or for the company's own admins).
NOT_PAGES = {
    "clients:resend",
    "clients:revoke",
    "clients:import_confirm",
    "clients:import_resume",
    "company:filing",
    "company:accountants",
    "company:activity",
    "company:accountant_revoke",
    "company:request_accept",
    "company:request_decline",
    "books:entry_post",
    "books:entry_copy",
    "books:entry_delete",
    "books:entry_annul",
    "books:entry_reverse",
    "books:journal_confirm",
    "team:invitation_resend",
    "team:invitation_revoke",
    "team:member_role",
    "team:member_remove",
    "team:assign_many",
    "team:assignment_responsible",
    "team:assignment_delete",
}


# Pages that answer a plain GET with a redirect, and where to (for the workspace's one company).
REDIRECTS = {
    # The switcher without JavaScript goes to the first match (with no search: the company).
    "firms:company_switcher": lambda company: company.get_absolute_url(),
}


@pytest.mark.parametrize(
    "app_url", [u for u in company_urls() + workspace_urls() if u.name not in NOT_PAGES], ids=lambda u: u.name
)
def test_consulta_keeps_every_page_readable(accountant_client, consulta, linked_company, app_url):
    response = accountant_client.get(
        app_url.url(linked_company) + ("?padre=110505" if "new" in app_url.name else "")
    )
    if app_url.name in REDIRECTS:
        assert (response.status_code, response.url) == (302, REDIRECTS[app_url.name](linked_company))
    else:
        assert response.status_code == 200


def test_consulta_refused_write_changes_nothing(accountant_client, consulta, linked_company):
    accountant_client.post(
        f"/c/{linked_company.slug}/cuentas/nueva/?padre=110505", {"code": "11050597", "name": "X"}
    )
    accountant_client.post("/contador/configuracion/", {"name": "Otro nombre", "country": "MX"})
    with schema_context(linked_company.schema_name):
        assert not Account.objects.filter(code="11050597").exists()
    consulta.refresh_from_db()
    assert consulta.country == "CO" and consulta.name != "Otro nombre"


def test_consulta_refusal_is_a_partial_for_htmx(accountant_client, consulta):
    response = accountant_client.post(
        "/contador/configuracion/", {"name": "X", "country": "CO"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "<html" not in response.content.decode()


def test_trial_workspace_can_write(accountant_client, workspace):
    response = accountant_client.post(
        "/contador/configuracion/", {"name": "Contadores Peña", "country": "CO"}
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Contadores Peña"


def test_paid_workspace_can_write_after_its_trial(accountant_client, consulta):
    consulta.plan = Workspace.Plan.PAID
    consulta.save(update_fields=["plan"])
    assert (
        accountant_client.post("/contador/configuracion/", {"name": "Pago", "country": "CO"}).status_code
        == 302
    )


def test_company_member_is_not_limited_by_an_accountants_plan(client, client_member, company_andes, consulta):
    from tests.factories import CompanyAccessFactory

    CompanyAccessFactory(workspace=consulta, company=company_andes)
    client.force_login(client_member)
    url = f"/c/{company_andes.slug}/cuentas/nueva/?padre=110505"
    assert client.post(url, {"code": "11050596", "name": "Caja cliente"}).status_code == 302


def test_logout_and_language_still_work_in_consulta(accountant_client, consulta):
    assert (
        accountant_client.post("/i18n/setlang/", {"language": "en", "next": "/contador/"}).status_code == 302
    )
    assert accountant_client.post("/cuentas/logout/").status_code == 302


def test_banner_shows_trial_days_left(accountant_client, workspace):
    body = accountant_client.get("/contador/").content.decode()
    assert "15 días" in body


@pytest.mark.parametrize("role", ["owner", "admin", "accountant", "assistant"])
def test_only_the_owner_is_shown_see_plans(client, workspace, role):
    """The plan is the owner's: administrators, contadores and auxiliares see the trial's days, no link."""
    from tests.factories import WorkspaceMemberFactory

    member = (
        workspace.members.get(role="owner")
        if role == "owner"
        else WorkspaceMemberFactory(workspace=workspace, role=role)
    )
    client.force_login(member.user)
    body = client.get("/contador/").content.decode()
    assert "15 días" in body
    assert ("Ver planes" in body) is (role == "owner")


def test_banner_tells_a_consulta_workspace_how_to_activate(accountant_client, consulta):
    body = accountant_client.get("/contador/").content.decode()
    assert "plan consulta" in body and "/contador/plan/" in body


def test_personal_settings_stay_writable_in_consulta(accountant_client, consulta, accountant):
    response = accountant_client.post("/contador/calendario/suscripcion/", {"action": "reminders"})
    assert response.status_code == 302
    accountant.refresh_from_db()
    assert accountant.tax_reminders is False


# The template helper: plan_read_only, from the same rule as the guard ---------------------------------


def test_the_helper_follows_the_guards_rule(rf, workspace, linked_company, accountant, company_andes):
    from firms.access import CompanyGrant, request_read_only

    request = rf.get("/")
    request.workspace, request.company_grant = workspace, None
    assert not request_read_only(request)
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    assert request_read_only(request)
    request.company_grant = CompanyGrant(linked_company, None, [workspace])
    assert request_read_only(request)
    request.company_grant = CompanyGrant(company_andes, "owner", [workspace])
    assert not request_read_only(request)  # the company's own member writes whatever the accountant's plan


def test_consulta_hides_the_list_actions_and_says_why_once(accountant_client, consulta, workspace):
    from tests.factories import LinkRequestFactory

    LinkRequestFactory(workspace=workspace, name="Solicitud Uno")
    body = accountant_client.get("/contador/").content.decode()
    assert 'class="button" href="/contador/clientes/anadir/"' not in body
    assert "/reenviar/" not in body and "/revocar/" not in body and "Retirar solicitud" not in body
    assert body.count("plan consulta") == 1 and "/contador/plan/" in body


@pytest.mark.parametrize(
    "url",
    [
        "/contador/clientes/anadir/",
        "/contador/clientes/nueva-empresa/",
        "/contador/clientes/importar/",
        "/contador/configuracion/",
    ],
)
def test_consulta_shows_the_workspace_forms_disabled_with_a_note(accountant_client, consulta, url):
    body = accountant_client.get(url).content.decode()
    assert '<fieldset class="form-fields" disabled>' in body
    assert "Plan consulta: puedes ver todo aquí, pero no cambiarlo" in body and "/contador/plan/" in body


def test_a_trial_shows_the_forms_enabled(accountant_client, workspace):
    body = accountant_client.get("/contador/clientes/anadir/").content.decode()
    assert '<fieldset class="form-fields">' in body and "Plan consulta:" not in body


def test_consulta_disables_the_company_forms_and_the_filing_buttons(
    accountant_client, consulta, linked_company
):
    base = f"/c/{linked_company.slug}/"
    assert (
        '<fieldset class="form-fields" disabled>' in accountant_client.get(f"{base}datos/").content.decode()
    )
    assert (
        '<fieldset class="form-fields" disabled>'
        in accountant_client.get(f"{base}invitar-cliente/").content.decode()
    )
    home = accountant_client.get(base).content.decode()
    assert "invitar-cliente" not in home
    calendar = accountant_client.get(f"{base}calendario/").content.decode()
    assert "Marcar como presentada" not in calendar and "plan consulta" in calendar


def test_a_company_member_sees_the_company_forms_enabled_in_an_accountants_consulta(
    client, client_member, company_andes, consulta
):
    from tests.factories import CompanyAccessFactory

    CompanyAccessFactory(workspace=consulta, company=company_andes)
    client.force_login(client_member)
    body = client.get(f"/c/{company_andes.slug}/datos/").content.decode()
    assert '<fieldset class="form-fields">' in body and "Plan consulta:" not in body
