"""Invitar al cliente without climbing roles: only the workspace's owner and administrators invite a company's
client user, never to an address of the team, and a member of a workspace that works on a company works in it
under the workspace's role and plan, whatever company membership they also hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from firms.models import CompanyAccess, CompanyAssignment, CompanyMember, WorkspaceMember
from firms.services.team import team_member_add, team_member_remove
from invitations.models import Invitation
from invitations.services.answer import invitation_accept
from invitations.services.common import InvitationError
from invitations.services.create import company_client_invite
from invitations.services.team import team_invite
from tests.factories import CompanyAccessFactory, CompanyMemberFactory, UserFactory, WorkspaceMemberFactory

from .conftest import deliver_all

pytestmark = pytest.mark.django_db
MANAGERS_ONLY = "propietario y los administradores"
TEAM_MEMBER = "es miembro del equipo"


def _invite_url(company) -> str:
    return f"/c/{company.slug}/invitar-cliente/"


def _member(workspace, role, company=None) -> WorkspaceMember:
    member = WorkspaceMemberFactory(workspace=workspace, role=role)
    if company is not None:
        access = CompanyAccess.objects.get(workspace=workspace, company=company)
        CompanyAssignment.objects.create(access=access, member=member)
    return member


def _lock_period(client, company):
    """What only those who post may do (an auxiliar may not)."""
    return client.post(f"/c/{company.slug}/periodos/", {"action": "lock", "until": "2026-01-31"})


def _revoke_the_firm(client, company, workspace):
    access = CompanyAccess.objects.get(workspace=workspace, company=company)
    return client.post(f"/c/{company.slug}/contadores/{access.pk}/revocar/")


@pytest.mark.parametrize("role", ["assistant", "accountant"])
def test_the_testers_sequence_is_refused_at_the_first_step(client, workspace, linked_company, role):
    """An auxiliar (or contador) invites themselves as the client of a company without owner, to accept,
    post, be removed from the team and revoke the firm: the invitation is refused, so nothing follows."""
    member = _member(workspace, role, linked_company)
    client.force_login(member.user)
    home = client.get(linked_company.get_absolute_url()).content.decode()
    assert _invite_url(linked_company) not in home
    page = client.get(_invite_url(linked_company))
    assert page.status_code == 403 and MANAGERS_ONLY in page.content.decode()
    sent = client.post(_invite_url(linked_company), {"email": member.user.email})
    assert sent.status_code == 403 and MANAGERS_ONLY in sent.content.decode()
    with pytest.raises(InvitationError, match="propietario y los administradores"):
        company_client_invite(
            company=linked_company, workspace=workspace, email=member.user.email, invited_by=member.user
        )
    assert (
        not Invitation.objects.exists() and not CompanyMember.objects.filter(company=linked_company).exists()
    )

    team_member_remove(member=member)
    assert client.get(linked_company.get_absolute_url()).status_code == 404
    assert _revoke_the_firm(client, linked_company, workspace).status_code == 404
    assert CompanyAccess.objects.get(workspace=workspace, company=linked_company).status == "active"


def test_a_manager_cannot_invite_an_address_of_the_team(client, workspace, accountant, linked_company):
    auxiliar = _member(workspace, "assistant", linked_company)
    admin = _member(workspace, "admin")
    for inviter, email in ((accountant, auxiliar.user.email.upper()), (admin.user, accountant.email)):
        client.force_login(inviter)
        response = client.post(_invite_url(linked_company), {"email": email})
        assert response.status_code == 200 and TEAM_MEMBER in response.content.decode()
    created = client.post(
        "/contador/clientes/nueva-empresa/",
        {
            "email": auxiliar.user.email,
            "password": "Clave-Temporal-9",
            "name": "Café Macondo S.A.S.",
            "country": "CO",
            "tax_id": "901234567-7",
        },
    )
    assert created.status_code == 200 and TEAM_MEMBER in created.content.decode()
    assert not Invitation.objects.exists() and not CompanyMember.objects.exists()


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_a_manager_invites_the_client_who_accepts_and_owns_the_company(
    client, workspace, accountant, linked_company, role
):
    inviter = accountant if role == "owner" else _member(workspace, "admin").user
    client.force_login(inviter)
    assert _invite_url(linked_company) in client.get(linked_company.get_absolute_url()).content.decode()
    person = UserFactory()
    response = client.post(_invite_url(linked_company), {"email": person.email})
    assert response.status_code == 302
    deliver_all()
    invitation_accept(invitation=Invitation.objects.get(), user=person)
    assert CompanyMember.objects.get(company=linked_company).user == person


def test_the_company_own_administrator_may_invite_its_client(workspace, linked_company):
    admin = CompanyMemberFactory(company=linked_company, role="admin").user
    invitation = company_client_invite(
        company=linked_company, workspace=workspace, email="duena@example.com", invited_by=admin
    )
    assert invitation.kind == "activation" and invitation.invited_by == admin


def test_someone_who_joined_the_team_since_the_invitation_cannot_accept_it(
    client, workspace, accountant, linked_company
):
    person = UserFactory()
    company_client_invite(
        company=linked_company, workspace=workspace, email=person.email, invited_by=accountant
    )
    deliver_all()
    team_member_add(workspace=workspace, user=person, role="assistant")
    invitation = Invitation.objects.get()
    with pytest.raises(InvitationError, match=TEAM_MEMBER):
        invitation_accept(invitation=invitation, user=person)
    invitation.refresh_from_db()
    assert invitation.is_open and not CompanyMember.objects.filter(company=linked_company).exists()


def test_a_contador_in_plan_consulta_who_is_also_a_company_member_cannot_write(
    client, workspace, linked_company
):
    member = _member(workspace, "accountant", linked_company)
    CompanyMemberFactory(company=linked_company, user=member.user, role="owner")
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_on"])
    client.force_login(member.user)
    response = client.post(
        f"/c/{linked_company.slug}/cuentas/nueva/?padre=110505", {"code": "11050596", "name": "Caja propia"}
    )
    assert response.status_code == 403 and "plan consulta" in response.content.decode()
    assert _lock_period(client, linked_company).status_code == 403
    assert client.get(f"/c/{linked_company.slug}/contadores/").status_code == 404  # not the company's owner
    assert _revoke_the_firm(client, linked_company, workspace).status_code == 403  # the plan refuses first
    assert CompanyAccess.objects.get(workspace=workspace, company=linked_company).status == "active"


def test_an_existing_company_member_who_joins_the_firm_works_under_its_role(
    client, workspace, accountant, company_andes, client_member
):
    access = CompanyAccessFactory(workspace=workspace, company=company_andes)
    client.force_login(client_member)
    assert client.get(f"/c/{company_andes.slug}/contadores/").status_code == 200  # the company's owner

    invitation = team_invite(
        workspace=workspace, email=client_member.email, role="assistant", invited_by=accountant
    )
    deliver_all()
    invitation_accept(invitation=invitation, user=client_member)
    member = WorkspaceMember.objects.get(workspace=workspace, user=client_member)
    assert client.get(company_andes.get_absolute_url()).status_code == 404  # not assigned to it
    CompanyAssignment.objects.create(access=access, member=member)
    assert client.get(company_andes.get_absolute_url()).status_code == 200
    assert client.get(f"/c/{company_andes.slug}/contadores/").status_code == 404
    refused = _lock_period(client, company_andes)
    assert refused.status_code == 403 and "auxiliar" in refused.content.decode()
    assert _revoke_the_firm(client, company_andes, workspace).status_code == 404


def test_outsiders_cannot_use_invitar_cliente(client, linked_company, outsider, client_member):
    for user in (outsider, client_member):  # another workspace's owner, another company's client
        client.force_login(user)
        assert client.get(_invite_url(linked_company)).status_code == 404
        assert client.post(_invite_url(linked_company), {"email": user.email}).status_code == 404
    client.logout()
    response = client.post(_invite_url(linked_company), {"email": "x@example.com"})
    assert response.status_code == 302 and response.url.startswith("/cuentas/login/")
    assert not Invitation.objects.exists()
