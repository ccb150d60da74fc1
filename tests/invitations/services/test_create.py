from accounts.models import User
from firms.models import CompanyAccess, CompanyMember
from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.answer import (
    invitation_accept,
)
from invitations.services.create import LinkRequest, client_account_create, client_link_request
from tests.factories import CompanyMemberFactory, UserFactory

from ..conftest import deliver_all


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_link_request_creates_a_pending_access_and_an_invitation_per_admin(
    workspace, accountant, company_andes
):
    owner = CompanyMemberFactory(company=company_andes, role="owner").user
    admin = CompanyMemberFactory(company=company_andes, role="admin").user
    outcome = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    assert outcome == LinkRequest.REQUESTED
    access = CompanyAccess.objects.get(workspace=workspace, company=company_andes)
    assert access.status == "pending" and access.invitation_status == "queued"
    assert {i.recipient for i in Invitation.objects.filter(access=access)} == {owner, admin}


def test_link_request_answers_the_same_for_an_unknown_tax_id(
    workspace, accountant, company_andes, client_member
):
    known = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    unknown = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("901234567", "7"), invited_by=accountant
    )
    assert known == unknown == LinkRequest.REQUESTED


def test_link_request_refuses_duplicates(link_request, workspace, accountant):
    args = {
        "workspace": workspace,
        "country": "CO",
        "tax_id": TaxId("860002964", "4"),
        "invited_by": accountant,
    }
    assert client_link_request(**args) == LinkRequest.ALREADY_PENDING
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    assert client_link_request(**args) == LinkRequest.ALREADY_LINKED
    assert Invitation.objects.filter(access_id=invitation.access_id).count() == 1


def test_link_request_never_grants_access_by_itself(link_request, accountant_client, company_andes):
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 404


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
