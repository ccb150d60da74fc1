"""Ending access before or after an answer: withdrawn by the accountant, or revoked by the client."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from firms.models import Company, CompanyAccess, Notice
from firms.services.accesses import access_request_withdraw, access_revoke
from firms.services.audit import audit_actor, audit_record
from firms.services.notices import access_notify

from ..models import Invitation
from .common import Event, InvitationError, Status, invitation_audit, set_status


def access_revoke_by_accountant(*, access: CompanyAccess) -> int:
    """The accountant withdraws a pending link request (it ends as withdrawn), or revokes the open
    invitations of an access (an account's invitation to its client)."""
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update().filter(
                access=access, status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED]
            )
        )
        # Re-read under a lock: the client may have just accepted (invitations are locked first, as there).
        access = CompanyAccess.objects.select_for_update().get(pk=access.pk)
        if access.status == CompanyAccess.Status.PENDING:
            access_request_withdraw(access=access)  # recorded as the request's withdrawal
        elif not invitations:
            raise InvitationError(_("There is no invitation to revoke."))
        else:
            audit_record(
                action="invitation.revoked",
                workspace=access.workspace_id,
                company=access.company,
                target=access,
                object_label=access.name,
                summary=", ".join(invitation.email for invitation in invitations),
            )
        for invitation in invitations:
            set_status(invitation, Status.REVOKED, Event.REVOKED, _("revoked by the accountant"))
            if invitation.kind == Invitation.Kind.LINK:  # the company's side of the withdrawal
                invitation_audit(invitation, "invitation.revoked")
    return len(invitations)


def access_revoke_by_client(*, company: Company, access_id: int, by: User) -> CompanyAccess:
    """An owner or admin of the company ends a workspace's active access at once; its accountants are told.

    Raises CompanyAccess.DoesNotExist for an access that is not this company's active one.
    """
    with transaction.atomic(), audit_actor(by):
        access = CompanyAccess.objects.select_for_update().get(
            pk=access_id, company=company, status=CompanyAccess.Status.ACTIVE
        )
        access = access_revoke(access=access)
        access_notify(access=access, kind=Notice.Kind.REVOKED)
        for invitation in Invitation.objects.select_for_update().filter(
            access=access, status__in=Invitation.OPEN_STATUSES
        ):
            set_status(
                invitation,
                Status.REVOKED,
                Event.REVOKED,
                _("access revoked by %(user)s") % {"user": by.email},
            )
            invitation_audit(invitation, "invitation.revoked")
    return access
