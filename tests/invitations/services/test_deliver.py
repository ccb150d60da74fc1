from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.emails import DeliveryFailed
from core.tokens import token_hash
from firms.models import CompanyAccess
from firms.tax_ids import TaxId
from invitations.models import Invitation, InvitationEvent
from invitations.services.answer import (
    LinkState,
    invitation_for_token,
    invitation_link_for_token,
    invitation_state,
    invitations_expire,
)
from invitations.services.common import InvitationError
from invitations.services.create import client_link_request, link_request_dispatch
from invitations.services.deliver import access_resend, invitation_deliver, invitations_remind
from tests.factories import CompanyMemberFactory

from ..conftest import TOKEN_IN_URL, deliver_all, request_link


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_sending_marks_sent_only_after_the_backend_accepted(link_request):
    invitation, token = link_request
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.sent_at and invitation.attempts == 1
    assert _access(invitation).invitation_status == ""  # a request's sending never shows in the list
    assert [e.kind for e in invitation.events.all()] == ["queued", "sent"]
    assert invitation_for_token(token) == invitation


def test_failed_sending_is_recorded_and_nothing_is_marked_sent(
    workspace, accountant, company_andes, client_member, settings
):
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    request_link(workspace, accountant)
    invitation = Invitation.objects.get()
    with pytest.raises(Exception, match="SMTP"):
        deliver_all()
    invitation.refresh_from_db()
    assert invitation.status == "failed" and invitation.sent_at is None and invitation.attempts == 1
    assert "550" in invitation.last_error
    assert not invitation.tokens.exists()  # the link that was not sent does not work
    assert _access(invitation).invitation_status == ""  # nor its failures: an unknown NIT has none
    assert [e.kind for e in invitation.events.all()] == ["queued", "failed"]


def test_a_refused_sending_with_retries_left_stays_pending_and_the_last_one_fails(
    workspace, accountant, company_andes, client_member, settings
):
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    request_link(workspace, accountant)
    invitation = Invitation.objects.get()
    with pytest.raises(DeliveryFailed):
        invitation_deliver(invitation_id=invitation.pk, last_attempt=False)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts, invitation.sent_at) == ("queued", 1, None)
    assert "550" in invitation.last_error and not invitation.tokens.exists()
    with pytest.raises(DeliveryFailed):
        invitation_deliver(invitation_id=invitation.pk, last_attempt=True)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts) == ("failed", 2)
    assert [e.kind for e in invitation.events.all()] == ["queued", "failed", "failed"]


def test_a_rolled_back_transaction_sends_nothing(
    workspace, accountant, company_andes, client_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            client_link_request(
                workspace=workspace,
                name="Andes",
                country="CO",
                tax_id=TaxId("860002964", "4"),
                invited_by=accountant,
            )
            raise RuntimeError("something later failed")
    assert callbacks == [] and mail.outbox == []
    assert not Invitation.objects.exists() and not CompanyAccess.objects.filter(tax_id="860002964").exists()


def test_tokens_are_stored_hashed_and_long(link_request):
    invitation, token = link_request
    stored = invitation.tokens.get().token_hash
    assert len(token) >= 43 and token not in stored and stored == token_hash(token)


def _resend(access):
    """The list's "Send again", then what its worker does for a request."""
    access_resend(access=access)
    link_request_dispatch(access_id=access.pk, resend=True)


def test_resend_is_limited_to_once_every_10_minutes_and_says_from_when(link_request):
    invitation, _token = link_request
    access = _access(invitation)
    with pytest.raises(InvitationError, match="10 minutos. Podrás enviarla de nuevo desde las"):
        access_resend(access=access)
    CompanyAccess.objects.filter(pk=access.pk).update(requested_at=timezone.now() - timedelta(minutes=11))
    assert _access(invitation).can_resend_now
    _resend(access)
    (new_token,) = deliver_all()
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.expires_at > timezone.now() + timedelta(days=6)
    assert not _access(invitation).can_resend_now
    with pytest.raises(InvitationError):
        access_resend(access=access)


def test_resending_a_request_for_an_unregistered_nit_looks_the_same_and_sends_nothing(workspace, accountant):
    access = request_link(workspace, accountant, TaxId("901234567", "7"), name="Café Macondo")
    with pytest.raises(InvitationError, match="10 minutos"):
        access_resend(access=access)
    CompanyAccess.objects.filter(pk=access.pk).update(requested_at=timezone.now() - timedelta(minutes=11))
    _resend(access)
    access.refresh_from_db()
    assert access.requested_at > timezone.now() - timedelta(minutes=1) and not access.can_resend_now
    assert deliver_all() == [] and not Invitation.objects.exists()


def test_resending_a_request_reaches_a_company_registered_since(workspace, accountant, company_andes):
    access = request_link(workspace, accountant)  # nobody administers company_andes yet
    assert not Invitation.objects.exists()
    CompanyMemberFactory(company=company_andes, role="owner")
    CompanyAccess.objects.filter(pk=access.pk).update(requested_at=timezone.now() - timedelta(minutes=11))
    _resend(access)
    assert len(deliver_all()) == 1


def test_resend_revives_an_expired_invitation_with_a_new_link(link_request):
    invitation, old_token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1),
        created_at=timezone.now() - timedelta(days=8),
        sent_at=timezone.now() - timedelta(days=8),
    )
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        requested_at=timezone.now() - timedelta(days=8)
    )
    assert invitations_expire() == 1
    assert _access(invitation).invitation_status == ""  # the list never says a request's link expired
    _resend(_access(invitation))
    (new_token,) = deliver_all()
    assert invitation_for_token(new_token) == invitation
    assert invitation_state(invitation=invitation, user=None, link=invitation_link_for_token(new_token)) == (
        LinkState.LOGIN
    )
    old_link = invitation_link_for_token(old_token)
    assert old_link.replaced_at is not None  # the new e-mail's link replaced it
    assert invitation_state(invitation=invitation, user=invitation.recipient, link=old_link) == (
        LinkState.REPLACED
    )


def test_each_e_mail_replaces_the_links_sent_before_and_a_failed_one_replaces_nothing(link_request, settings):
    invitation, first = link_request
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    _resend(_access(invitation))
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    with pytest.raises(DeliveryFailed):
        invitation_deliver(invitation_id=invitation.pk)
    assert invitation_link_for_token(first).replaced_at is None  # nothing new went out: the link still works
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitation_deliver(invitation_id=invitation.pk) is True  # the task's retry
    second = TOKEN_IN_URL.search(mail.outbox[-1].body).group(1)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=4))
    invitation_deliver(invitation_id=invitation.pk, purpose="reminder")
    third = TOKEN_IN_URL.search(mail.outbox[-1].body).group(1)
    assert [invitation_link_for_token(t).replaced_at is not None for t in (first, second, third)] == [
        True,
        True,
        False,
    ]


def test_reminders_wait_for_the_next_run_while_the_broker_is_down(link_request, monkeypatch):
    from kombu.exceptions import OperationalError

    from invitations.tasks import invitation_send_task

    invitation, _token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=3, minutes=1))

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(invitation_send_task, "apply_async", broker_down)
    assert invitations_remind() == 0  # no error for the beat job, nothing marked
    monkeypatch.undo()
    assert invitations_remind() == 1  # the next run queues it
    assert invitation_deliver(invitation_id=invitation.pk, purpose="reminder") is True


def test_daily_job_expires_and_reminds_once(link_request, django_capture_on_commit_callbacks):
    invitation, _token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=3, minutes=1))
    assert invitations_remind() == 1
    assert invitation_deliver(invitation_id=invitation.pk, purpose="reminder") is True
    assert invitation_deliver(invitation_id=invitation.pk, purpose="reminder") is False  # only once
    assert invitations_remind() == 0
    assert mail.outbox[-1].subject.startswith("Recordatorio:")
    assert InvitationEvent.objects.filter(invitation=invitation, kind="reminded").count() == 1
    assert invitations_expire() == 0
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == "expired" and _access(invitation).invitation_status == ""
