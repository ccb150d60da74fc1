"""Sending invitations: each attempt, the reminders, the accountant's "Reenviar" and renewal requests."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from core.emails import DeliveryFailed, email_message
from core.queue import enqueue_each
from core.services import outgoing_email_queue
from core.tokens import token_hash, token_new
from core.urls import absolute_url
from core.work import requeue_stalled, work_started
from firms.models import CompanyAccess
from firms.services.accesses import access_request_touch
from firms.services.audit import audit_record

from ..models import Invitation, InvitationToken
from .common import (
    Event,
    InvitationError,
    Purpose,
    Status,
    invitation_audit,
    invitation_requeue,
    record_event,
    set_status,
)
from .create import link_requests_requeue, queue_dispatch


def invitation_deliver(
    *, invitation_id: int, purpose: str = Purpose.INVITE, last_attempt: bool = True
) -> bool:
    """One attempt to e-mail an invitation with a new link. Marked sent only once the backend accepted it.

    Returns False when there is nothing to send (already sent, answered, revoked, expired). Raises
    DeliveryFailed when the backend refuses: the failure is recorded and the link is discarded; the
    invitation stays pending sending while the task will try again, and is failed after `last_attempt`.
    Everything the sending changes is written before the backend is called and committed right after it
    accepts, so that a worker killed in between leaves the smallest window for a second e-mail.
    """
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("recipient", "invited_by", "workspace", "company")
                .get(pk=invitation_id)
            )
            if purpose == Purpose.REMINDER:
                if invitation.reminder_sent_at or invitation.status != Status.SENT or invitation.is_expired:
                    return False
            elif invitation.status not in (Status.QUEUED, Status.FAILED) or invitation.is_expired:
                return False
            raw_token = token_new()
            link = InvitationToken.objects.create(invitation=invitation, token_hash=token_hash(raw_token))
            message = _invitation_email(invitation, raw_token, reminder=purpose == Purpose.REMINDER)
            Invitation.objects.filter(pk=invitation.pk).update(**work_started())
            # The e-mail about to go has the one link that works: the older ones say they were replaced.
            InvitationToken.objects.filter(invitation=invitation, replaced_at__isnull=True).exclude(
                pk=link.pk
            ).update(replaced_at=timezone.now())
            if purpose == Purpose.REMINDER:
                invitation.reminder_sent_at = timezone.now()
                invitation.save(update_fields=["reminder_sent_at"])
                record_event(invitation, Event.REMINDED)
            else:
                set_status(invitation, Status.SENT, Event.SENT, sent_at=timezone.now(), last_error="")
                invitation_audit(invitation, "invitation.delivered")
            try:
                message.send()
            except Exception as exc:  # any backend error (SMTP, network, timeouts): all the above rolls back
                raise DeliveryFailed(f"{exc.__class__.__name__}: {exc}") from exc
            return True
    except DeliveryFailed as failure:
        _delivery_failed(invitation_id, purpose, last_attempt, failure)
        raise


def _delivery_failed(invitation_id: int, purpose: str, last_attempt: bool, failure: DeliveryFailed) -> None:
    """The new link was rolled back with the attempt's transaction: record the attempt and the error (and,
    after the last attempt, that the invitation failed)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(**work_started())
        if purpose == Purpose.REMINDER:
            record_event(invitation, Event.FAILED, str(failure))
            return
        given_up = last_attempt and invitation.status != Status.FAILED
        set_status(
            invitation,
            Status.FAILED if last_attempt else Status.QUEUED,
            Event.FAILED,
            str(failure),
            last_error=str(failure)[:2000],
        )
        if given_up:
            invitation_audit(invitation, "invitation.failed")


def invitation_url(raw_token: str) -> str:
    return absolute_url(reverse("invitations:respond", kwargs={"token": raw_token}))


def _invitation_email(invitation: Invitation, raw_token: str, *, reminder: bool):
    inviter = invitation.invited_by
    template = {
        Invitation.Kind.LINK: "invitation_link",
        Invitation.Kind.TEAM: "invitation_team",
    }.get(invitation.kind, "invitation_activation")
    return email_message(
        template=template,
        to=[invitation.email],
        language=invitation.recipient.language,
        context={
            "invitation": invitation,
            "inviter_name": inviter.get_full_name() if inviter else invitation.workspace.name,
            "workspace": invitation.workspace,
            "company": invitation.company,
            "url": invitation_url(raw_token),
            "expires_at": invitation.expires_at,
            "reminder": reminder,
            "needs_password": not invitation.recipient.is_active,
            "role": invitation.get_role_display(),
        },
    )


def invitations_remind() -> int:
    """Queue one reminder for each invitation sent INVITATION_REMINDER_AFTER_DAYS ago and still unanswered;
    returns how many were queued."""
    now = timezone.now()
    due = Invitation.objects.filter(
        status=Status.SENT,
        reminder_sent_at__isnull=True,
        sent_at__lte=now - timedelta(days=settings.INVITATION_REMINDER_AFTER_DAYS),
        expires_at__gt=now,
    )
    ids = list(due.values_list("pk", flat=True))
    from ..tasks import invitation_send_task

    # With the broker down nothing is lost: the rest stay unreminded for the next run.
    return enqueue_each(invitation_send_task, ids, str(Purpose.REMINDER))


def access_resend(*, access: CompanyAccess) -> int:
    """The list's "Send again": a link request goes again to the company's admins (if a company has its
    tax ID: the worker finds out, as the first time); an account's invitation goes again with a new link
    valid for another INVITATION_VALID_DAYS. Limited per access (CompanyAccess.resend_available_at): a link
    request once every INVITATION_RESEND_MINUTES; an invitation INVITATION_RESEND_MINUTES after an e-mail
    actually went out, at once when nothing was sent yet (pending sending, or failing).
    Returns how many invitations were queued now (0 for a link request: its worker queues them).
    """
    with transaction.atomic():
        access = CompanyAccess.objects.select_for_update().get(pk=access.pk)
        if not access.invitation_can_be_resent:
            raise InvitationError(_("There is no invitation to send again."))
        available = access.resend_available_at
        if available is not None and available > timezone.now():
            raise InvitationError(
                _("This was sent less than %(minutes)s minutes ago. You can send it again from %(time)s.")
                % {
                    "minutes": settings.INVITATION_RESEND_MINUTES,
                    "time": time_format(timezone.localtime(available)),
                }
            )
        access_request_touch(access=access)
        if access.status == CompanyAccess.Status.PENDING:
            queue_dispatch(access, resend=True)
            _audit_resend(access)
            return 0
        invitations = list(
            Invitation.objects.select_for_update().filter(
                access=access, status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED]
            )
        )
        if not invitations:
            raise InvitationError(_("There is no invitation to send again."))
        for invitation in invitations:
            invitation_requeue(invitation)
        _audit_resend(access, ", ".join(invitation.email for invitation in invitations))
    return len(invitations)


def _audit_resend(access: CompanyAccess, emails: str = "") -> None:
    audit_record(
        action="invitation.resent",
        workspace=access.workspace_id,
        company=access.company,
        target=access,
        object_label=access.name,
        summary=emails,
    )


def invitations_requeue() -> int:
    """Beat: queue again the invitations pending sending for WORK_STALLED_AFTER (their queueing was lost
    while the broker was down, or their worker died), and the link requests waiting as long for their worker
    (link_requests_requeue). Returns how many were queued."""
    from ..tasks import invitation_send_task

    stalled = Invitation.stalled().filter(expires_at__gt=timezone.now())
    queued = requeue_stalled(stalled, invitation_send_task, args=lambda pk: (pk, str(Purpose.INVITE)))
    return queued + link_requests_requeue()


def renewal_request_queue(*, invitation: Invitation) -> None:
    """Tell the accountant (through the outbox) that the recipient of an expired link asked for a new one.

    For a link request the e-mail names the company as the accountant typed it, and not who asked:
    who administers a company is never shown to an accountant it has not accepted.
    """
    invitation = Invitation.objects.select_related("invited_by", "company", "workspace", "access").get(
        pk=invitation.pk
    )
    outgoing_email_queue(
        kind="invitation_renewal_request",
        message=email_message(
            template="invitation_renewal_request",
            to=[invitation.invited_by.email],
            language=invitation.invited_by.language,
            context={
                "invitation": invitation,
                "access": invitation.access,
                "is_link_request": invitation.kind == Invitation.Kind.LINK,
                "company": invitation.company,
                "workspace_url": absolute_url(
                    reverse("team:page" if invitation.is_team else "firms:workspace_home")
                ),
            },
        ),
    )
