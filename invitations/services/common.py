"""What every invitation use case shares: the errors, the history and the sending queue."""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.work import queue
from firms.services.accesses import access_set_invitation_status
from firms.services.audit import audit_record
from firms.services.common import DomainError

from ..models import Invitation, InvitationEvent

Status = Invitation.Status
Event = InvitationEvent.Kind

INVALID_LINK = gettext_lazy(
    "This invitation link is not valid. Check that you copied the whole link from the e-mail."
)


class InvitationError(DomainError):
    """The invitation cannot be used as asked; the message is for the user."""


class TeamMemberAsClient(InvitationError):
    """A member of the workspace's team cannot be the client of one of its companies (invited or accepting):
    in them they work under their role in the team."""

    def __init__(self, email: str):
        super().__init__(
            _(
                "%(email)s is a member of the workspace's team: in its companies they work with their role "
                "in the team, never as the company's client."
            )
            % {"email": email}
        )


class InvalidLink(InvitationError):
    def __init__(self, message=INVALID_LINK):
        super().__init__(str(message))


class Purpose(StrEnum):
    INVITE = "invite"
    REMINDER = "reminder"


# A link request's invitations exist only when a company has the tax ID: the workspace's list shows
# their answer, never their sending, expiry or withdrawal (an unregistered tax ID has none of those).
LINK_STATUSES_SHOWN = {Status.ACCEPTED, Status.DECLINED}


def record_event(invitation: Invitation, kind: str, detail: str = "") -> None:
    """One line of the invitation's history; the access shows the invitation's status from now on
    (a link request's, only once answered)."""
    InvitationEvent.objects.create(invitation=invitation, kind=kind, detail=detail[:2000])
    if invitation.access_id is None:  # a team invitation: the team page reads it directly
        return
    if invitation.kind == Invitation.Kind.LINK and invitation.status not in LINK_STATUSES_SHOWN:
        return
    access_set_invitation_status(
        access_id=invitation.access_id,
        status=invitation.status,
        at=invitation.status_changed_at,
        decline_reason=invitation.decline_reason if invitation.status == Status.DECLINED else None,
    )


def invitation_audit(invitation: Invitation, action: str, summary: str = "") -> None:
    """Record a change of the invitation's state in the activity log (the services that change it call this).

    A link request's invitations go to the company's admins: theirs are the company's events, recorded without
    the workspace, which must not learn from them that a company has the tax ID it asked about."""
    audit_record(
        action=action,
        workspace=None if invitation.kind == Invitation.Kind.LINK else invitation.workspace_id,
        company=invitation.company if invitation.company_id else None,
        target=invitation,
        object_label=invitation.email,
        summary=summary,
    )


def set_status(invitation: Invitation, status: str, event: str, detail: str = "", **fields) -> None:
    invitation.status = status
    invitation.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["status", "status_changed_at", *fields])
    record_event(invitation, event, detail)


def queue_send(invitation: Invitation, purpose: Purpose) -> None:
    """Queue the e-mail once the transaction commits. If the broker is down the invitation stays
    "pending sending" and invitations_requeue queues it again."""
    from ..tasks import invitation_send_task

    queue(invitation, invitation_send_task, invitation.pk, str(purpose))


def invitation_requeue(invitation: Invitation, detail: str = "") -> None:
    """Send an open or expired invitation again, with a new link valid for another INVITATION_VALID_DAYS."""
    now = timezone.now()
    set_status(
        invitation,
        Status.QUEUED,
        Event.QUEUED,
        detail or str(_("sent again")),
        last_resent_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    queue_send(invitation, Purpose.INVITE)


def invitation_new(*, kind: str, workspace_id: int, recipient, invited_by, **fields) -> Invitation:
    """A new invitation, valid for INVITATION_VALID_DAYS, its e-mail queued (every kind: `fields` holds the
    company and access of a client's invitation, the role of a team invitation)."""
    now = timezone.now()
    invitation = Invitation.objects.create(
        kind=kind,
        workspace_id=workspace_id,
        email=recipient.email,
        recipient=recipient,
        invited_by=invited_by,
        created_at=now,
        status_changed_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        **fields,
    )
    record_event(invitation, Event.QUEUED)
    queue_send(invitation, Purpose.INVITE)
    return invitation
