"""Team invitations ("Equipo"): the owner or an administrator invites someone by e-mail, with a role.

The same machinery as the other invitations: a hashed, single-use, expiring link per e-mail, sent by the
worker with retries. An address without an account gets an inactive one that its link activates (the
person chooses their password); an existing account logs in and accepts. Accepting makes the member
(firms.team.team_member_add).
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.services import user_create_inactive
from firms.models import Workspace, WorkspaceMember
from firms.services.audit import AuditText, audit_record

from ..models import Invitation
from .common import (
    Event,
    InvitationError,
    Status,
    invitation_new,
    invitation_requeue,
    set_status,
)

# Open team invitations, and expired ones (they can be sent again).
PENDING_STATUSES = [*Invitation.OPEN_STATUSES, Status.EXPIRED]


def team_invite(*, workspace: Workspace, email: str, role: str, invited_by: User) -> Invitation:
    """Invite `email` to the workspace's team as `role` (administrador, contador or auxiliar).

    Refused for someone already in the team, or already invited (send that invitation again instead).
    """
    if role not in WorkspaceMember.INVITABLE_ROLES:
        raise InvitationError(_("This role cannot be given here."))
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        # One invitation at a time per address and workspace: the workspace row serializes the checks.
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        if WorkspaceMember.objects.filter(workspace=workspace, user__email__iexact=email).exists():
            raise InvitationError(_("%(email)s is already a member of the team.") % {"email": email})
        if Invitation.objects.filter(
            workspace=workspace, kind=Invitation.Kind.TEAM, email__iexact=email, status__in=PENDING_STATUSES
        ).exists():
            raise InvitationError(
                _("%(email)s already has an invitation: send it again from the list.") % {"email": email}
            )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = user_create_inactive(email=email)
            except IntegrityError:
                user = User.objects.get(email__iexact=email)
        invitation = invitation_new(
            kind=Invitation.Kind.TEAM,
            workspace_id=workspace.pk,
            recipient=user,
            invited_by=invited_by,
            role=role,
        )
        audit_record(
            action="team.member_invited",
            actor=invited_by,
            workspace=workspace,
            target=invitation,
            object_label=email,
            summary=AuditText(
                gettext_noop("%(email)s was invited to the team as %(role)s."),
                email=email,
                role=WorkspaceMember.Role(role).label,
            ),
            after={"role": role},
        )
    return invitation


def _audit_team_invitation(action: str, invitation: Invitation) -> None:
    audit_record(
        action=action,
        workspace=invitation.workspace_id,
        company=None,
        target=invitation,
        object_label=invitation.email,
        summary=AuditText(gettext_noop("Invitation to join the team")),
    )


def _team_invitation(workspace: Workspace, invitation_id: int) -> Invitation:
    return Invitation.objects.select_for_update().get(
        pk=invitation_id, workspace=workspace, kind=Invitation.Kind.TEAM
    )


def team_invitation_resend(*, workspace: Workspace, invitation_id: int) -> Invitation:
    """ "Send again": a new link, valid for another INVITATION_VALID_DAYS; at most once every
    INVITATION_RESEND_MINUTES after an e-mail went out (at once while nothing went out).
    Raises Invitation.DoesNotExist for another workspace's invitation."""
    with transaction.atomic():
        invitation = _team_invitation(workspace, invitation_id)
        if invitation.status not in PENDING_STATUSES:
            raise InvitationError(_("There is no invitation to send again."))
        last_sent = invitation.last_resent_at or invitation.sent_at
        if invitation.status == Status.SENT and last_sent is not None:
            available = last_sent + timedelta(minutes=settings.INVITATION_RESEND_MINUTES)
            if available > timezone.now():
                raise InvitationError(
                    _("This was sent less than %(minutes)s minutes ago. You can send it again from %(time)s.")
                    % {
                        "minutes": settings.INVITATION_RESEND_MINUTES,
                        "time": time_format(timezone.localtime(available)),
                    }
                )
        invitation_requeue(invitation)
        _audit_team_invitation("invitation.resent", invitation)
    return invitation


def team_invitation_revoke(*, workspace: Workspace, invitation_id: int) -> Invitation:
    """Cancel a team invitation: its links stop working. Raises Invitation.DoesNotExist for another
    workspace's invitation."""
    with transaction.atomic():
        invitation = _team_invitation(workspace, invitation_id)
        if invitation.status not in PENDING_STATUSES:
            raise InvitationError(_("There is no invitation to revoke."))
        set_status(invitation, Status.REVOKED, Event.REVOKED, _("revoked by the accountant"))
        _audit_team_invitation("invitation.revoked", invitation)
    return invitation
