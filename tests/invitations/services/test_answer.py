from datetime import timedelta

import pytest
from django.utils import timezone

from firms.models import CompanyAccess
from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.answer import (
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_for_token,
)
from invitations.services.common import InvalidLink, InvitationError
from invitations.services.create import client_link_request
from tests.factories import CompanyMemberFactory

from ..conftest import deliver_all


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_accepting_a_link_request_starts_the_access(link_request, accountant_client, company_andes):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_by == invitation.recipient
    assert _access(invitation).status == "active" and _access(invitation).invitation_status == "accepted"
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 200


def test_the_first_admin_to_answer_closes_the_request_for_all(
    workspace, accountant, company_andes, client_member
):
    other_admin = CompanyMemberFactory(company=company_andes, role="admin").user
    client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    deliver_all()
    mine = Invitation.objects.get(recipient=client_member)
    invitation_decline(invitation=mine, user=client_member, reason="No trabajamos con ustedes")
    theirs = Invitation.objects.get(recipient=other_admin)
    assert theirs.status == "declined" and theirs.responded_by == client_member
    with pytest.raises(InvitationError):
        invitation_accept(invitation=theirs, user=other_admin)
    assert _access(mine).status == "declined"


def test_declining_records_the_reason_for_the_accountant(link_request):
    invitation, _token = link_request
    invitation_decline(invitation=invitation, user=invitation.recipient, reason="  Ya tenemos contador  ")
    invitation.refresh_from_db()
    assert invitation.status == "declined" and invitation.decline_reason == "Ya tenemos contador"
    assert _access(invitation).status == "declined"


def test_a_used_invitation_cannot_be_used_again(link_request):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    with pytest.raises(InvitationError, match="already used|ya se usó|ya fue usada"):
        invitation_decline(invitation=invitation, user=invitation.recipient)


def test_another_user_cannot_answer(link_request, outsider):
    invitation, _token = link_request
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=outsider)
    assert _access(invitation).status == "pending"


def test_an_expired_invitation_cannot_be_answered(link_request):
    invitation, _token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=invitation.recipient)


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "not-a-real-token-but-long-enough-to-look-like-one"])
def test_tampered_tokens_are_invalid(link_request, token):
    with pytest.raises(InvalidLink):
        invitation_for_token(token)


def test_activation_requires_a_new_password(activation):
    invitation, _token = activation
    with pytest.raises(InvitationError):
        invitation_activate(invitation=invitation, password="Clave-Del-Contador-1")
    user = invitation_activate(invitation=invitation, password="Mi-Propia-Clave-2026")
    assert user.is_active and user.check_password("Mi-Propia-Clave-2026")
    assert not user.check_password("Clave-Del-Contador-1")
    assert user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_invitation_state_answers_for_each_kind_of_visitor(link_request, activation, outsider):
    from django.contrib.auth.models import AnonymousUser

    from invitations.services.answer import LinkState, invitation_state

    invitation, _token = link_request
    recipient = invitation.recipient
    assert invitation_state(invitation=invitation, user=recipient) == LinkState.OPEN
    assert invitation_state(invitation=invitation, user=AnonymousUser()) == LinkState.LOGIN
    assert invitation_state(invitation=invitation, user=outsider) == LinkState.WRONG_ACCOUNT
    new_client, _token = activation
    assert invitation_state(invitation=new_client, user=AnonymousUser()) == LinkState.ACTIVATE
    type(recipient).objects.filter(pk=recipient.pk).update(is_active=False)
    invitation.refresh_from_db()
    invitation.recipient.refresh_from_db()
    assert invitation_state(invitation=invitation, user=AnonymousUser()) == LinkState.DEACTIVATED
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    assert invitation_state(invitation=invitation, user=recipient) == LinkState.EXPIRED
    Invitation.objects.filter(pk=invitation.pk).update(status="accepted")
    invitation.refresh_from_db()
    assert invitation_state(invitation=invitation, user=recipient) == LinkState.USED
