"""Ending access before or after an answer: withdrawn by the accountant, or revoked by the client."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from firms.models import Company, CompanyAccess
from firms.services import company_link

from ..models import Invitation
from .common import Event, InvitationError, Status, set_status


def access_revoke_by_accountant(*, access: CompanyAccess) -> int:
    """The accountant withdraws the access's invitations; a pending link request ends as revoked."""
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update().filter(
                access=access, status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED]
            )
        )
        # Re-read under a lock: the client may have just accepted (invitations are locked first, as there).
        access = (
            CompanyAccess.objects.select_for_update().select_related("workspace", "company").get(pk=access.pk)
        )
        if access.status == CompanyAccess.Status.PENDING:
            company_link(
                workspace=access.workspace, company=access.company, status=CompanyAccess.Status.REVOKED
            )
        elif not invitations:
            raise InvitationError(_("There is no invitation to revoke."))
        for invitation in invitations:
            set_status(invitation, Status.REVOKED, Event.REVOKED, _("revoked by the accountant"))
    return len(invitations)


def access_revoke_by_client(*, company: Company, access_id: int, by: User) -> CompanyAccess:
    """An owner or admin of the company ends a workspace's access at once."""
    with transaction.atomic():
        access = (
            CompanyAccess.objects.select_for_update()
            .select_related("workspace")
            .get(pk=access_id, company=company)
        )
        company_link(workspace=access.workspace, company=company, status=CompanyAccess.Status.REVOKED)
        for invitation in Invitation.objects.select_for_update().filter(
            access=access, status__in=Invitation.OPEN_STATUSES
        ):
            set_status(
                invitation,
                Status.REVOKED,
                Event.REVOKED,
                _("access revoked by %(user)s") % {"user": by.email},
            )
    return access
