from datetime import timedelta

import pytest
from django.utils import timezone

from core.emails import DeliveryFailed
from firms.models import AuditEvent, CompanyAccess, Notice
from invitations.models import Invitation
from invitations.services.answer import (
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_for_token,
)
from invitations.services.common import InvalidLink, InvitationError
from tests.factories import CompanyMemberFactory, WorkspaceMemberFactory

from ..conftest import deliver_all, deliver_notices, request_link


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
    request_link(workspace, accountant)
    deliver_all()
    mine = Invitation.objects.get(recipient=client_member)
    invitation_decline(invitation=mine, user=client_member, reason="No trabajamos con ustedes")
    theirs = Invitation.objects.get(recipient=other_admin)
    assert theirs.status == "declined" and theirs.responded_by == client_member
    with pytest.raises(InvitationError):
        invitation_accept(invitation=theirs, user=other_admin)
    assert _access(mine).status == "declined"
    # The other admin's invitation closing is in the company's log; the workspace's never learns of it.
    closed = AuditEvent.objects.get(action="invitation.closed")
    assert (closed.object_id, closed.company, closed.workspace, closed.actor) == (
        str(theirs.pk),
        company_andes,
        None,
        client_member,
    )


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


def test_the_accountant_gets_a_notice_and_an_email_when_the_client_accepts(
    link_request, workspace, accountant, django_capture_on_commit_callbacks
):
    staff = WorkspaceMemberFactory(workspace=workspace, role="admin").user
    invitation, _token = link_request
    with django_capture_on_commit_callbacks() as callbacks:
        invitation_accept(invitation=invitation, user=invitation.recipient)
    assert len(callbacks) == 1  # one e-mail in the outbox, queued once the answer is committed
    notices = Notice.objects.filter(workspace=workspace, kind="accepted")
    assert {n.user for n in notices} == {accountant, staff}  # every accountant of the practice, in the app
    assert {n.company_name for n in notices} == {invitation.company.name}
    assert notices.get(user=staff).email is None
    emails = deliver_notices()
    assert [m.to for m in emails] == [[accountant.email]]  # the e-mail to who sent the request
    assert notices.get(user=accountant).email.status == "sent"
    assert "http://testserver/contador/" in emails[0].body


def test_the_accountant_learns_the_reason_when_the_client_declines(link_request, accountant):
    invitation, _token = link_request
    invitation_decline(invitation=invitation, user=invitation.recipient, reason="Ya tenemos contador")
    notice = Notice.objects.get(user=accountant)
    assert notice.kind == "declined" and notice.detail == "Ya tenemos contador"
    (message,) = deliver_notices()
    assert message.to == [accountant.email] and "Ya tenemos contador" in message.body
    assert "Se rechazó tu solicitud" in message.subject


def test_a_notice_email_is_sent_once_and_retried_on_smtp_errors(link_request, accountant, settings):
    from core.services import outgoing_email_send
    from core.tasks import outgoing_email_send_task

    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)  # on_commit not run: no e-mail yet
    email = Notice.objects.get(user=accountant).email
    assert (email.kind, email.status) == ("access_accepted", "pending")
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    with pytest.raises(DeliveryFailed):
        outgoing_email_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert (
        DeliveryFailed in outgoing_email_send_task.autoretry_for and outgoing_email_send_task.max_retries == 6
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outgoing_email_send(email_id=email.pk) is True
    assert outgoing_email_send(email_id=email.pk) is False  # safe to run twice
