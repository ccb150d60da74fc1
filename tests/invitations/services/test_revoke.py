import pytest

from firms.models import CompanyAccess
from invitations.services.answer import (
    invitation_accept,
)
from invitations.services.common import InvitationError
from invitations.services.revoke import access_revoke_by_accountant, access_revoke_by_client


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_revoking_a_link_request(link_request):
    invitation, token = link_request
    access_revoke_by_accountant(access=_access(invitation))
    invitation.refresh_from_db()
    assert invitation.status == "revoked" and _access(invitation).status == "revoked"
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=invitation.recipient)


def test_the_client_revokes_a_workspaces_access(link_request, accountant_client, company_andes):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    access_revoke_by_client(company=company_andes, access_id=invitation.access_id, by=invitation.recipient)
    assert _access(invitation).status == "revoked"
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 404
