from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from firms.models import Company, CompanyAccess, CompanyMember
from firms.services.accesses import AccessAlreadyActive, AccessAlreadyRequested, AccessRecentlyDeclined
from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.answer import invitation_accept, invitation_decline
from invitations.services.create import client_account_create, client_link_request, link_request_dispatch
from invitations.services.revoke import access_revoke_by_accountant
from tests.factories import CompanyMemberFactory, UserFactory

from ..conftest import ANDES_NIT, deliver_all, request_link


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_link_request_creates_a_request_and_its_worker_an_invitation_per_admin(
    workspace, accountant, company_andes
):
    owner = CompanyMemberFactory(company=company_andes, role="owner").user
    admin = CompanyMemberFactory(company=company_andes, role="admin").user
    access = client_link_request(
        workspace=workspace, name="Andes", country="CO", tax_id=ANDES_NIT, invited_by=accountant
    )
    assert access.status == "pending" and access.company is None and access.name == "Andes"
    assert not Invitation.objects.exists()  # the page answered before anyone looked for the company
    assert link_request_dispatch(access_id=access.pk) == 2
    access.refresh_from_db()
    assert access.company is None and access.matched_company == company_andes
    assert access.invitation_status == ""  # the list never shows a request's sending
    assert {i.recipient for i in Invitation.objects.filter(access=access)} == {owner, admin}
    assert {i.company for i in Invitation.objects.filter(access=access)} == {company_andes}


def _fields(access):
    """Everything about a request that the workspace can see."""
    return {
        field.name: getattr(access, field.name)
        for field in CompanyAccess._meta.fields
        if field.name not in {"id", "matched_company", "tax_id", "check_digit", "search_text", "created_at"}
        and not field.name.endswith("_at")
    }


def test_a_request_for_a_registered_nit_is_the_same_row_as_for_an_unregistered_one(
    workspace, accountant, company_andes, client_member
):
    known = request_link(workspace, accountant, ANDES_NIT, name="Andes")
    unknown = request_link(workspace, accountant, TaxId("901234567", "7"), name="Andes")
    known.refresh_from_db()
    unknown.refresh_from_db()
    assert _fields(known) == _fields(unknown)
    assert known.company is None and known.name == "Andes" and company_andes.name != "Andes"
    assert known.requested_at and unknown.requested_at
    assert known.matched_company == company_andes and unknown.matched_company is None


def test_a_request_for_an_unregistered_nit_never_creates_a_company_and_can_be_withdrawn(
    workspace, accountant
):
    access = request_link(workspace, accountant, TaxId("901234567", "7"), name="Café Macondo")
    assert not Company.objects.filter(tax_id="901234567").exists()
    assert not Invitation.objects.exists()
    access_revoke_by_accountant(access=access)
    access.refresh_from_db()
    assert access.status == "withdrawn"
    again = request_link(workspace, accountant, TaxId("901234567", "7"), name="Café Macondo S.A.S.")
    assert again.pk == access.pk and again.status == "pending"  # the same row: one per NIT and workspace


def test_link_request_refuses_duplicates(link_request, workspace, accountant):
    args = {
        "workspace": workspace,
        "name": "Andes",
        "country": "CO",
        "tax_id": ANDES_NIT,
        "invited_by": accountant,
    }
    with pytest.raises(AccessAlreadyRequested, match="esperando respuesta"):
        client_link_request(**args)
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    with pytest.raises(AccessAlreadyActive, match="ya está vinculada"):
        client_link_request(**args)
    assert Invitation.objects.filter(access_id=invitation.access_id).count() == 1


def test_a_declined_company_cannot_be_asked_again_by_the_same_workspace_for_30_days(
    link_request, workspace, accountant, outsider
):
    invitation, _token = link_request
    invitation_decline(invitation=invitation, user=invitation.recipient, reason="No, gracias")
    with pytest.raises(AccessRecentlyDeclined, match="rechazó tu solicitud"):
        request_link(workspace, accountant)
    other_workspace = outsider.workspace_memberships.get().workspace
    assert request_link(other_workspace, outsider).status == "pending"  # another practice may ask
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        status_changed_at=timezone.now() - timedelta(days=30, minutes=1)
    )
    again = request_link(workspace, accountant)
    assert again.pk == invitation.access_id and again.status == "pending" and again.decline_reason == ""
    assert Invitation.objects.filter(access=again, status="queued").count() == 1  # asked afresh


def test_a_request_made_again_after_a_withdrawal_invites_the_admins_again(
    link_request, workspace, accountant
):
    invitation, _token = link_request
    access_revoke_by_accountant(access=CompanyAccess.objects.get(pk=invitation.access_id))
    again = request_link(workspace, accountant)
    assert Invitation.objects.filter(access=again).count() == 2
    assert Invitation.objects.filter(access=again, status="queued").count() == 1


def test_link_request_never_grants_access_by_itself(link_request, accountant_client, company_andes):
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 404


def test_dispatch_is_safe_to_run_twice_and_does_nothing_once_the_request_is_answered(link_request, workspace):
    invitation, _token = link_request
    assert link_request_dispatch(access_id=invitation.access_id) == 0
    invitation_accept(invitation=invitation, user=invitation.recipient)
    assert link_request_dispatch(access_id=invitation.access_id, resend=True) == 0
    assert Invitation.objects.filter(access_id=invitation.access_id).count() == 1


def test_creating_the_company_of_an_unanswered_request_turns_the_request_into_its_access(
    workspace, accountant
):
    request = request_link(workspace, accountant, TaxId("901234567", "7"), name="Café Macondo")
    company = client_account_create(
        workspace=workspace,
        invited_by=accountant,
        email="dueno@macondo.co",
        password="Clave-Temporal-9",
        name="Café Macondo S.A.S.",
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )
    request.refresh_from_db()
    assert request.company == company and request.status == "active" and request.name == "Café Macondo S.A.S."
    assert CompanyAccess.objects.filter(workspace=workspace).count() == 1


def test_creating_an_account_for_a_client(activation, workspace, accountant_client):
    invitation, _token = activation
    company = invitation.company
    user = User.objects.get(email="cliente.nuevo@example.com")
    assert not user.is_active and user.check_password("Clave-Del-Contador-1")
    assert CompanyMember.objects.get(company=company).user == user
    assert CompanyAccess.objects.get(company=company, workspace=workspace).status == "active"
    assert company.tax_responsibilities == ["05", "48"] and company.sector == "I"
    assert (
        accountant_client.get(company.get_absolute_url()).status_code == 200
    )  # the accountant works at once


def test_creating_for_an_existing_email_invites_its_owner_and_changes_nothing(workspace, accountant):
    existing = UserFactory(email="ya.existe@example.com")
    company = client_account_create(
        workspace=workspace,
        invited_by=accountant,
        email="YA.EXISTE@example.com",
        password="Otra-Clave-99",
        name="Nueva S.A.S.",
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )
    existing.refresh_from_db()
    assert existing.check_password("clave-segura-123") and existing.is_active
    assert not CompanyMember.objects.filter(company=company).exists()  # until they accept
    invitation = Invitation.objects.get(company=company)
    deliver_all()
    invitation_accept(invitation=invitation, user=existing)
    assert CompanyMember.objects.get(company=company).user == existing
