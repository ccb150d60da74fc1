import pytest
from django.core import mail

from firms.models import CompanyAccess, Notice
from invitations.services.answer import (
    invitation_accept,
)
from invitations.services.common import InvitationError
from invitations.services.revoke import access_revoke_by_accountant, access_revoke_by_client

from ..conftest import deliver_notices


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_withdrawing_a_link_request(link_request):
    invitation, token = link_request
    access_revoke_by_accountant(access=_access(invitation))
    invitation.refresh_from_db()
    assert invitation.status == "revoked" and _access(invitation).status == "withdrawn"
    assert _access(invitation).invitation_status == ""  # the same as withdrawing an unanswered NIT
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=invitation.recipient)


def test_the_client_revokes_a_workspaces_access_and_its_accountants_are_told(
    link_request, accountant_client, company_andes, accountant
):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    access_revoke_by_client(company=company_andes, access_id=invitation.access_id, by=invitation.recipient)
    deliver_notices()
    assert _access(invitation).status == "revoked"
    response = accountant_client.get(company_andes.get_absolute_url())
    assert response.status_code == 403 and "Ya no tienes acceso a esta empresa" in response.content.decode()
    notice = Notice.objects.get(user=accountant, kind="revoked")
    assert notice.company_name == company_andes.name and notice.email.status == "sent"
    assert mail.outbox[-1].to == [accountant.email] and "revocó el acceso" in mail.outbox[-1].body


def test_the_client_cannot_revoke_an_access_twice_or_another_companys(
    link_request, company_andes, company_pena
):
    invitation, _token = link_request
    with pytest.raises(CompanyAccess.DoesNotExist):  # still a request: answered, not revoked
        access_revoke_by_client(
            company=company_andes, access_id=invitation.access_id, by=invitation.recipient
        )
    invitation_accept(invitation=invitation, user=invitation.recipient)
    with pytest.raises(CompanyAccess.DoesNotExist):
        access_revoke_by_client(company=company_pena, access_id=invitation.access_id, by=invitation.recipient)
