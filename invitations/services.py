"""Invitations: link requests to existing companies, client account activation, and their e-mails.

Every status change goes through here; the access an invitation belongs to mirrors its latest status
(CompanyAccess.invitation_status) so that the workspace list can show and filter it cheaply.
"""

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountant_portal.emails import email_message
from accounts.models import User
from firms.models import Company, CompanyAccess, CompanyMember, Workspace
from firms.services import DomainError, company_create, company_link
from firms.tax_ids import TaxId

from .models import Invitation, InvitationEvent, InvitationToken

Status = Invitation.Status
Event = InvitationEvent.Kind


class InvitationError(DomainError):
    """The invitation cannot be used as asked; the message is for the user."""


class InvalidLink(InvitationError):
    pass


class DeliveryFailed(Exception):
    """The e-mail backend refused the message; the sending task retries."""


class LinkRequest(StrEnum):
    REQUESTED = "requested"
    ALREADY_LINKED = "already_linked"
    ALREADY_PENDING = "already_pending"


class Purpose(StrEnum):
    INVITE = "invite"
    REMINDER = "reminder"


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# Creating ---------------------------------------------------------------------------------------


def client_link_request(
    *, workspace: Workspace, country: str, tax_id: TaxId, invited_by: User
) -> LinkRequest:
    """Ask an existing company's owners and admins to give the workspace access.

    The answer is the same whether or not a company has that tax ID, and it names nobody: typing a
    tax ID never grants access nor reveals who runs the company. Access starts when one of them accepts.
    """
    company = Company.objects.filter(country=country, tax_id=tax_id.tax_id).first()
    if company is None:
        return LinkRequest.REQUESTED
    with transaction.atomic():
        access = (
            CompanyAccess.objects.select_for_update().filter(workspace=workspace, company=company).first()
        )
        if access is not None and access.status == CompanyAccess.Status.ACTIVE:
            return LinkRequest.ALREADY_LINKED
        if access is not None and access.status == CompanyAccess.Status.PENDING:
            return LinkRequest.ALREADY_PENDING
        access = company_link(
            workspace=workspace, company=company, status=CompanyAccess.Status.PENDING, invited_by=invited_by
        )
        admins = CompanyMember.objects.filter(
            company=company,
            role__in=[CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN],
            user__is_active=True,
        ).select_related("user")
        for member in admins:
            _invitation_create(
                kind=Invitation.Kind.LINK, access=access, recipient=member.user, invited_by=invited_by
            )
    return LinkRequest.REQUESTED


def client_account_create(
    *,
    workspace: Workspace,
    invited_by: User,
    email: str,
    password: str,
    name: str,
    country: str,
    tax_id: TaxId,
    sector: str = "",
    tax_responsibilities: tuple[str, ...] | list[str] = (),
    phone: str = "",
) -> Company:
    """Create a company for a client who has no account yet, with an active access for the workspace.

    The client gets an activation invitation. The password the accountant typed is kept only on the
    inactive account, and activation requires a different one. If the e-mail already has an account,
    nothing of that account changes: its owner is invited to take the company instead.
    """
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        company = company_create(
            name=name,
            country=country,
            tax_id=tax_id,
            sector=sector,
            tax_responsibilities=tax_responsibilities,
            phone=phone,
            email=email,
            workspace=workspace,
            access_status=CompanyAccess.Status.ACTIVE,
            created_by=invited_by,
        )
        access = CompanyAccess.objects.get(workspace=workspace, company=company)
        company_owner_invite(access=access, email=email, invited_by=invited_by, password=password)
    return company


def company_owner_invite(
    *, access: CompanyAccess, email: str, invited_by: User, password: str | None = None
) -> Invitation:
    """Invite a client to own a company the workspace works on (created for them, or imported).

    A new address gets an inactive account (with the accountant's temporary password, or none) and
    an activation invitation; an existing account is only invited, and owns the company on accepting.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, is_active=False, awaiting_activation=True
        )
        CompanyMember.objects.create(company_id=access.company_id, user=user, role=CompanyMember.Role.OWNER)
    return _invitation_create(
        kind=Invitation.Kind.ACTIVATION, access=access, recipient=user, invited_by=invited_by
    )


def company_client_invite(
    *, company: Company, workspace: Workspace, email: str, invited_by: User
) -> Invitation:
    """From the company's page ("Invitar al cliente"): a login for the client of a company without owner."""
    with transaction.atomic():
        access = CompanyAccess.objects.select_for_update().get(
            workspace=workspace, company=company, status=CompanyAccess.Status.ACTIVE
        )
        if CompanyMember.objects.filter(
            company=company, role=CompanyMember.Role.OWNER, user__is_active=True
        ).exists():
            raise InvitationError(_("This company already has an owner who can log in."))
        if access.invitations.filter(
            kind=Invitation.Kind.ACTIVATION, status__in=Invitation.OPEN_STATUSES
        ).exists():
            raise InvitationError(_("An invitation for this company's client is already on its way."))
        return company_owner_invite(access=access, email=email, invited_by=invited_by)


def _invitation_create(*, kind: str, access: CompanyAccess, recipient: User, invited_by: User) -> Invitation:
    now = timezone.now()
    invitation = Invitation.objects.create(
        kind=kind,
        workspace_id=access.workspace_id,
        company_id=access.company_id,
        access=access,
        email=recipient.email,
        recipient=recipient,
        invited_by=invited_by,
        created_at=now,
        status_changed_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _record(invitation, Event.QUEUED)
    _queue(invitation, Purpose.INVITE)
    return invitation


def _queue(invitation: Invitation, purpose: Purpose) -> None:
    from .tasks import invitation_send_task

    invitation_send_task.delay_on_commit(invitation.pk, str(purpose))


def _record(invitation: Invitation, kind: str, detail: str = "") -> None:
    InvitationEvent.objects.create(invitation=invitation, kind=kind, detail=detail[:2000])
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        invitation_status=invitation.status, invitation_status_at=invitation.status_changed_at
    )


def _set_status(invitation: Invitation, status: str, event: str, detail: str = "", **fields) -> None:
    invitation.status = status
    invitation.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["status", "status_changed_at", *fields])
    _record(invitation, event, detail)


# Sending ----------------------------------------------------------------------------------------


def invitation_deliver(*, invitation_id: int, purpose: str = Purpose.INVITE) -> bool:
    """One attempt to e-mail an invitation with a new link. Marked sent only once the backend accepted it.

    Returns False when there is nothing to send (already sent, answered, revoked, expired). Raises
    DeliveryFailed when the backend refuses: the failure is recorded and the link is discarded.
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
            raw_token = secrets.token_urlsafe(32)
            InvitationToken.objects.create(invitation=invitation, token_hash=token_hash(raw_token))
            message = _invitation_email(invitation, raw_token, reminder=purpose == Purpose.REMINDER)
            Invitation.objects.filter(pk=invitation.pk).update(attempts=F("attempts") + 1)
            try:
                message.send()
            except Exception as exc:  # any backend error: SMTP, network, timeouts
                raise DeliveryFailed(f"{exc.__class__.__name__}: {exc}") from exc
            if purpose == Purpose.REMINDER:
                invitation.reminder_sent_at = timezone.now()
                invitation.save(update_fields=["reminder_sent_at"])
                _record(invitation, Event.REMINDED)
            else:
                _set_status(invitation, Status.SENT, Event.SENT, sent_at=timezone.now(), last_error="")
            return True
    except DeliveryFailed as failure:
        # The new link was rolled back with the transaction; record the attempt and the error.
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            Invitation.objects.filter(pk=invitation_id).update(attempts=F("attempts") + 1)
            if purpose == Purpose.REMINDER:
                _record(invitation, Event.FAILED, str(failure))
            else:
                _set_status(
                    invitation, Status.FAILED, Event.FAILED, str(failure), last_error=str(failure)[:2000]
                )
        raise


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("invitations:respond", kwargs={"token": raw_token})


def _invitation_email(invitation: Invitation, raw_token: str, *, reminder: bool):
    inviter = invitation.invited_by
    template = "invitation_link" if invitation.kind == Invitation.Kind.LINK else "invitation_activation"
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
        },
    )


# Answering --------------------------------------------------------------------------------------


def invitation_for_token(raw_token: str) -> Invitation:
    """The invitation behind a link, or InvalidLink for a tampered or unknown one."""
    found = (
        InvitationToken.objects.filter(token_hash=token_hash(raw_token or ""))
        .select_related(
            "invitation__workspace", "invitation__company", "invitation__recipient", "invitation__invited_by"
        )
        .first()
    )
    if found is None:
        raise InvalidLink(
            _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
        )
    return found.invitation


def _lock_open(invitation: Invitation, user: User | None) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("recipient", "access").get(pk=invitation.pk)
    )
    if invitation.is_expired:
        raise InvitationError(_("This invitation has expired."))
    if not invitation.is_open:
        raise InvitationError(_("This invitation was already used."))
    if user is not None and user.pk != invitation.recipient_id:
        raise InvitationError(_("This invitation is for another account."))
    return invitation


def _close_siblings(invitation: Invitation, status: str, event: str, user: User) -> None:
    """A link request goes to every admin of the company; the first answer closes it for all."""
    now = timezone.now()
    siblings = Invitation.objects.filter(
        access_id=invitation.access_id, status__in=Invitation.OPEN_STATUSES
    ).exclude(pk=invitation.pk)
    for sibling in siblings:
        _set_status(sibling, status, event, responded_at=now, responded_by=user)


def _set_access_status(invitation: Invitation, status: str) -> None:
    """A link request's answer is the answer for the workspace's access."""
    company_link(workspace=invitation.access.workspace, company=invitation.access.company, status=status)


def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """The recipient (logged in) accepts: the workspace's access starts, or the client takes the company."""
    with transaction.atomic():
        invitation = _lock_open(invitation, user)
        if invitation.kind == Invitation.Kind.LINK:
            admins = CompanyMember.objects.filter(
                company_id=invitation.company_id,
                user=user,
                role__in=[CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN],
            )
            if not admins.exists():
                raise InvitationError(
                    _("Only the company's owners and administrators can answer this request.")
                )
            _set_access_status(invitation, CompanyAccess.Status.ACTIVE)
        else:
            CompanyMember.objects.get_or_create(
                company_id=invitation.company_id, user=user, defaults={"role": CompanyMember.Role.OWNER}
            )
        _set_status(
            invitation, Status.ACCEPTED, Event.ACCEPTED, responded_at=timezone.now(), responded_by=user
        )
        _close_siblings(invitation, Status.ACCEPTED, Event.ACCEPTED, user)
    return invitation


def invitation_activate(*, invitation: Invitation, password: str) -> User:
    """A new client sets their own password (never the one the accountant typed) and owns the company."""
    with transaction.atomic():
        invitation = _lock_open(invitation, None)
        user = User.objects.select_for_update().get(pk=invitation.recipient_id)
        if user.is_active:
            raise InvitationError(_("This account is already active: log in to accept the invitation."))
        if invitation.kind != Invitation.Kind.ACTIVATION or not user.awaiting_activation:
            # A deactivated account is not switched back on by a link.
            raise InvalidLink(
                _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
            )
        if user.check_password(password):
            raise InvitationError(_("Choose a new password, different from the one your accountant typed."))
        validate_password(password, user)
        user.set_password(password)
        user.is_active = True
        user.awaiting_activation = False
        user.save(update_fields=["password", "is_active", "awaiting_activation"])
        # The link came to this address: it is verified.
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
        invitation_accept(invitation=invitation, user=user)
    return user


def invitation_decline(*, invitation: Invitation, user: User, reason: str = "") -> Invitation:
    with transaction.atomic():
        invitation = _lock_open(invitation, user)
        if invitation.kind == Invitation.Kind.LINK:
            _set_access_status(invitation, CompanyAccess.Status.DECLINED)
        reason = reason.strip()[:1000]
        _set_status(
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


def invitation_request_renewal(*, invitation: Invitation) -> bool:
    """The recipient of an expired link asks the accountant for a new one (at most once a day)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
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
        _record(invitation, Event.RENEWAL_REQUESTED)
        from .tasks import renewal_request_send_task

        renewal_request_send_task.delay_on_commit(invitation.pk)
    return True


def renewal_request_deliver(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("invited_by", "company", "workspace").get(pk=invitation_id)
    email_message(
        template="invitation_renewal_request",
        to=[invitation.invited_by.email],
        language=invitation.invited_by.language,
        context={
            "invitation": invitation,
            "company": invitation.company,
            "workspace_url": settings.SITE_URL + reverse("firms:workspace_home"),
        },
    ).send()


# The accountant's actions -----------------------------------------------------------------------


def access_resend(*, access: CompanyAccess) -> int:
    """Send the access's open or expired invitations again, with a new link valid for another week.

    Limited to once every INVITATION_RESEND_MINUTES per invitation.
    """
    now = timezone.now()
    limit = now - timedelta(minutes=settings.INVITATION_RESEND_MINUTES)
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update().filter(
                access=access, status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED]
            )
        )
        if not invitations:
            raise InvitationError(_("There is no invitation to send again."))
        if any((inv.last_resent_at or inv.created_at) > limit for inv in invitations):
            raise InvitationError(
                _("This invitation was sent less than %(minutes)s minutes ago. Try again later.")
                % {"minutes": settings.INVITATION_RESEND_MINUTES}
            )
        for invitation in invitations:
            _set_status(
                invitation,
                Status.QUEUED,
                Event.QUEUED,
                _("sent again"),
                last_resent_at=now,
                expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            )
            _queue(invitation, Purpose.INVITE)
    return len(invitations)


def access_revoke_invitations(*, access: CompanyAccess) -> int:
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
            _set_status(invitation, Status.REVOKED, Event.REVOKED, _("revoked by the accountant"))
    return len(invitations)


# The client's actions ---------------------------------------------------------------------------


def company_access_revoke(*, company: Company, access_id: int, by: User) -> CompanyAccess:
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
            _set_status(
                invitation,
                Status.REVOKED,
                Event.REVOKED,
                _("access revoked by %(user)s") % {"user": by.email},
            )
    return access


# Daily job --------------------------------------------------------------------------------------


def invitations_expire() -> int:
    """Mark open invitations whose links have run out as expired."""
    count = 0
    due = Invitation.objects.filter(status__in=Invitation.OPEN_STATUSES, expires_at__lte=timezone.now())
    for invitation_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if invitation.is_open and invitation.expires_at <= timezone.now():
                _set_status(invitation, Status.EXPIRED, Event.EXPIRED)
                count += 1
    return count


def invitations_remind() -> int:
    """Queue one reminder for each invitation sent INVITATION_REMINDER_AFTER_DAYS ago and still unanswered."""
    now = timezone.now()
    due = Invitation.objects.filter(
        Q(status=Status.SENT),
        Q(reminder_sent_at__isnull=True),
        Q(sent_at__lte=now - timedelta(days=settings.INVITATION_REMINDER_AFTER_DAYS)),
        Q(expires_at__gt=now),
    )
    ids = list(due.values_list("pk", flat=True))
    from .tasks import invitation_send_task

    for invitation_id in ids:
        invitation_send_task.delay(invitation_id, str(Purpose.REMINDER))
    return len(ids)
