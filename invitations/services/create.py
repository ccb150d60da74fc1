"""Creating invitations: link requests to existing companies and accounts made for clients."""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_create_inactive
from firms.models import Company, CompanyAccess, CompanyMember, Workspace
from firms.services import company_create, company_link, company_member_add
from firms.tax_ids import TaxId

from ..models import Invitation
from .common import Event, InvitationError, Purpose, queue_send, record_event


class LinkRequest(StrEnum):
    REQUESTED = "requested"
    ALREADY_LINKED = "already_linked"
    ALREADY_PENDING = "already_pending"


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
        access = company_create(
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
        company_owner_invite(access=access, email=email, invited_by=invited_by, password=password)
    return access.company


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
        try:
            with transaction.atomic():
                user = user_create_inactive(email=email, password=password)
        except IntegrityError:
            # Another request made this account meanwhile: invite it like any existing one.
            user = User.objects.get(email__iexact=email)
        else:
            company_member_add(company_id=access.company_id, user=user, role=CompanyMember.Role.OWNER)
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
    record_event(invitation, Event.QUEUED)
    queue_send(invitation, Purpose.INVITE)
    return invitation
