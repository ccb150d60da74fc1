"""Answering invitations: what a link allows now, accept, decline, activate, ask for a new link, expire."""

from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import user_activate
from core.tokens import token_hash
from firms.models import Company, CompanyAccess, CompanyMember, Notice, WorkspaceMember
from firms.services.accesses import access_request_accept, access_request_decline
from firms.services.audit import audit_actor, audit_record
from firms.services.common import DomainError
from firms.services.companies import company_member_add
from firms.services.notices import access_notify
from firms.services.team import TeamError, team_member_add

from ..models import Invitation, InvitationToken
from .common import (
    INVALID_LINK,
    Event,
    InvalidLink,
    InvitationError,
    Status,
    TeamMemberAsClient,
    invitation_audit,
    record_event,
    set_status,
)
from .deliver import renewal_request_queue


class LinkState(StrEnum):
    """What the person who opened an invitation link can do with it now."""

    OPEN = "open"  # the recipient, logged in: accept or decline
    LOGIN = "login"  # the recipient has an active account: log in first
    ACTIVATE = "activate"  # an account made by the accountant: the recipient sets a password
    EXPIRED = "expired"
    USED = "used"  # answered or revoked
    WRONG_ACCOUNT = "wrong_account"  # someone else is logged in
    REPLACED = "replaced"  # a newer e-mail carries the link that works now
    DEACTIVATED = "deactivated"  # the recipient's account was switched off: the link does not revive it


# Why a link cannot be used as asked, for each state that refuses.
REFUSALS = {
    LinkState.EXPIRED: gettext_lazy("This invitation has expired."),
    LinkState.USED: gettext_lazy("This invitation was already used."),
    LinkState.WRONG_ACCOUNT: gettext_lazy("This invitation is for another account."),
    LinkState.LOGIN: gettext_lazy("This account is already active: log in to accept the invitation."),
}


def invitation_link_for_token(raw_token: str) -> InvitationToken:
    """The e-mailed link (with its invitation) behind a raw token, or InvalidLink for a tampered or
    unknown one."""
    found = (
        InvitationToken.objects.filter(token_hash=token_hash(raw_token))
        .select_related(
            "invitation__workspace", "invitation__company", "invitation__recipient", "invitation__invited_by"
        )
        .first()
    )
    if found is None:
        raise InvalidLink
    return found


def invitation_for_token(raw_token: str) -> Invitation:
    """The invitation behind a link, or InvalidLink for a tampered or unknown one."""
    return invitation_link_for_token(raw_token).invitation


def invitation_state(*, invitation: Invitation, user, link: InvitationToken | None = None) -> LinkState:
    """The one answer to "what can this user (maybe anonymous) do with this invitation now", opened
    through `link` (a link replaced by a newer e-mail's no longer answers an open invitation)."""
    if invitation.is_expired:
        return LinkState.EXPIRED
    if not invitation.is_open:
        return LinkState.USED
    if link is not None and link.replaced_at is not None:
        return LinkState.REPLACED
    recipient = invitation.recipient
    logged_in = user is not None and user.is_authenticated
    if logged_in and user.pk != recipient.pk:
        return LinkState.WRONG_ACCOUNT
    if not recipient.is_active:
        # An account made for the invitation (a client's, or a new team member's) is activated by its link.
        activates = invitation.kind in (Invitation.Kind.ACTIVATION, Invitation.Kind.TEAM)
        if not activates or not recipient.awaiting_activation:
            return LinkState.DEACTIVATED
        return LinkState.ACTIVATE
    return LinkState.OPEN if logged_in else LinkState.LOGIN


def _lock(invitation: Invitation, user, wanted: LinkState) -> Invitation:
    """The invitation, locked, if its state is `wanted`; otherwise the error that says why not."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("recipient", "access", "workspace")
        .get(pk=invitation.pk)
    )
    state = invitation_state(invitation=invitation, user=user)
    if state == wanted:
        return invitation
    if state == LinkState.DEACTIVATED:
        raise InvalidLink
    raise InvitationError(str(REFUSALS.get(state, INVALID_LINK)))


def _close_siblings(invitation: Invitation, status: str, event: str, user: User) -> None:
    """The other invitations one answer closes. A link request goes to every admin of the company: the first
    answer closes it for all. A team invitation closes only the earlier ones to the same person in the same
    workspace (never another workspace's, nor another person's)."""
    now = timezone.now()
    # Expired ones too: a request made again later invites afresh (see create.link_request_dispatch).
    pending = [*Invitation.OPEN_STATUSES, Status.EXPIRED]
    if invitation.kind == Invitation.Kind.TEAM:
        siblings = Invitation.objects.filter(
            workspace_id=invitation.workspace_id, kind=Invitation.Kind.TEAM, email__iexact=invitation.email
        )
    else:
        siblings = Invitation.objects.filter(access_id=invitation.access_id)
    siblings = siblings.filter(status__in=pending).exclude(pk=invitation.pk).order_by("pk")
    for sibling in siblings.select_for_update(of=("self",)).select_related("company"):
        set_status(sibling, status, event, responded_at=now, responded_by=user)
        invitation_audit(sibling, "invitation.closed")


def _check_company_admin(company_id: int, user: User) -> None:
    admins = CompanyMember.objects.filter(
        company_id=company_id, user=user, role__in=[CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN]
    )
    if not admins.exists():
        raise InvitationError(_("Only the company's owners and administrators can answer this request."))


def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """The recipient (logged in) accepts: the workspace's access starts, or the client takes the company."""
    with transaction.atomic(), audit_actor(user):
        invitation = _lock(invitation, user, LinkState.OPEN)
        if invitation.kind == Invitation.Kind.LINK:
            _check_company_admin(invitation.company_id, user)
            _accept_request(invitation.access)  # recorded as the access's acceptance
        elif invitation.kind == Invitation.Kind.TEAM:
            try:
                team_member_add(workspace=invitation.workspace, user=user, role=invitation.role)
            except TeamError as error:
                raise InvitationError(str(error)) from None
        else:
            # Checked again here: the recipient may have joined the team since the invitation was sent.
            if WorkspaceMember.objects.filter(workspace_id=invitation.workspace_id, user=user).exists():
                raise TeamMemberAsClient(invitation.email)
            company_member_add(company_id=invitation.company_id, user=user, role=CompanyMember.Role.OWNER)
            _audit_invitation("invitation.accepted", invitation)
        set_status(
            invitation, Status.ACCEPTED, Event.ACCEPTED, responded_at=timezone.now(), responded_by=user
        )
        _close_siblings(invitation, Status.ACCEPTED, Event.ACCEPTED, user)
    return invitation


def _audit_invitation(action: str, invitation: Invitation, summary: str = "") -> None:
    audit_record(
        action=action,
        workspace=invitation.workspace_id,
        company=invitation.company,
        target=invitation,
        object_label=invitation.email,
        summary=summary,
    )


def _accept_request(access: CompanyAccess) -> None:
    try:
        access = access_request_accept(access=access)
    except DomainError as error:
        raise InvitationError(str(error)) from None
    access_notify(access=access, kind=Notice.Kind.ACCEPTED)


def _decline_request(access: CompanyAccess, reason: str) -> None:
    try:
        access = access_request_decline(access=access, reason=reason)
    except DomainError as error:
        raise InvitationError(str(error)) from None
    access_notify(access=access, kind=Notice.Kind.DECLINED, detail=access.decline_reason)


def invitation_activate(*, invitation: Invitation, password: str, full_name: str = "") -> User:
    """A new client sets their own password (never the one the accountant typed) and owns the company; a
    new team member (with their name) joins the team."""
    with transaction.atomic():
        invitation = _lock(invitation, None, LinkState.ACTIVATE)
        user = User.objects.select_for_update().get(pk=invitation.recipient_id)
        if user.check_password(password):
            raise InvitationError(_("Choose a new password, different from the one your accountant typed."))
        user_activate(user=user, password=password)
        if full_name.strip():
            user.full_name = full_name.strip()[:150]
            user.save(update_fields=["full_name"])
        invitation_accept(invitation=invitation, user=user)
    return user


def invitation_decline(*, invitation: Invitation, user: User, reason: str = "") -> Invitation:
    with transaction.atomic(), audit_actor(user):
        invitation = _lock(invitation, user, LinkState.OPEN)
        reason = reason.strip()[:1000]
        if invitation.kind == Invitation.Kind.LINK:
            _check_company_admin(invitation.company_id, user)
            _decline_request(invitation.access, reason)  # recorded as the access's answer
        else:
            _audit_invitation("invitation.declined", invitation, reason)
        set_status(
            invitation,
            Status.DECLINED,
            Event.DECLINED,
            reason,
            responded_at=timezone.now(),
            responded_by=user,
            decline_reason=reason,
        )
        _close_siblings(invitation, Status.DECLINED, Event.DECLINED, user)
    return invitation


def link_request_answer(
    *, company: Company, access_id: int, user: User, accept: bool, reason: str = ""
) -> CompanyAccess:
    """An owner or admin answers a pending link request from "Contadores con acceso", without the e-mail.

    The answer closes the request's invitations for every admin, as an answer by e-mail does.
    Raises CompanyAccess.DoesNotExist for a request that is not this company's.
    """
    with transaction.atomic(), audit_actor(user):
        open_invitations = list(
            Invitation.objects.select_for_update().filter(
                access_id=access_id,
                company=company,
                kind=Invitation.Kind.LINK,
                status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED],
            )
        )
        access = CompanyAccess.objects.select_for_update().get(
            pk=access_id, matched_company=company, status=CompanyAccess.Status.PENDING
        )
        _check_company_admin(company.pk, user)
        reason = reason.strip()[:1000]
        if accept:
            _accept_request(access)
            status, event, fields = Status.ACCEPTED, Event.ACCEPTED, {}
        else:
            _decline_request(access, reason)
            status, event, fields = Status.DECLINED, Event.DECLINED, {"decline_reason": reason}
        now = timezone.now()
        for invitation in open_invitations:
            set_status(invitation, status, event, reason, responded_at=now, responded_by=user, **fields)
            invitation_audit(invitation, "invitation.closed")
        access.refresh_from_db()
    return access


def invitation_request_renewal(*, invitation: Invitation) -> bool:
    """The recipient of an expired link asks the accountant for a new one (at most once a day)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("invited_by", "company", "workspace")
            .get(pk=invitation.pk)
        )
        if not invitation.is_expired:
            return False
        recent = (
            invitation.renewal_requested_at
            and invitation.renewal_requested_at > timezone.now() - timedelta(days=1)
        )
        if recent or invitation.invited_by is None:
            return False
        invitation.renewal_requested_at = timezone.now()
        invitation.save(update_fields=["renewal_requested_at"])
        record_event(invitation, Event.RENEWAL_REQUESTED)
        # A link request's company stays unknown to the workspace until accepted.
        audit_record(
            action="invitation.renewal_requested",
            actor=invitation.recipient if invitation.kind == Invitation.Kind.ACTIVATION else None,
            workspace=invitation.workspace_id,
            company=invitation.company if invitation.kind == Invitation.Kind.ACTIVATION else None,
            target=invitation,
            object_label=invitation.email if invitation.kind == Invitation.Kind.ACTIVATION else "",
        )
        renewal_request_queue(invitation=invitation)
    return True


def invitations_expire() -> int:
    """Mark open invitations whose links have run out as expired."""
    count = 0
    due = Invitation.objects.filter(status__in=Invitation.OPEN_STATUSES, expires_at__lte=timezone.now())
    for invitation_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if invitation.is_open and invitation.expires_at <= timezone.now():
                set_status(invitation, Status.EXPIRED, Event.EXPIRED)
                invitation_audit(invitation, "invitation.expired")
                count += 1
    return count
