"""Creating invitations: link requests to existing companies and accounts made for clients."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_create_inactive
from core.work import queue, requeue_stalled, stalled_before
from firms.models import Company, CompanyAccess, CompanyMember, Workspace, WorkspaceMember
from firms.services.accesses import access_request, access_request_match, access_request_touch
from firms.services.audit import audit_record
from firms.services.companies import company_create, company_member_add
from firms.tax_ids import TaxId

from ..models import Invitation
from .common import InvitationError, Status, TeamMemberAsClient, invitation_new, invitation_requeue


def client_link_request(
    *, workspace: Workspace, name: str, country: str, tax_id: TaxId, invited_by: User
) -> CompanyAccess:
    """Añadir cliente: ask the owners and admins of the company with this tax ID, if there is one, to
    give the workspace access.

    What the accountant sees is the same whether or not a company has the tax ID: a request with the
    name they typed, made the same way, in the same time. Whether a company has it is found out by the
    worker (link_request_dispatch), after the page answered. Access starts when an owner or admin
    accepts. Raises DomainError (already linked, already waiting, declined less than 30 days ago).
    """
    with transaction.atomic():
        access = access_request(
            workspace=workspace, name=name, country=country, tax_id=tax_id, invited_by=invited_by
        )
        queue_dispatch(access)
    return access


def queue_dispatch(access: CompanyAccess, *, resend: bool = False) -> None:
    """Queue the worker's part of a link request once the transaction commits. The access says it waits
    (dispatch_queued_at), so that if the broker is down the beat job (link_requests_requeue) queues it."""
    from ..tasks import link_request_dispatch_task

    queue(access, link_request_dispatch_task, access.pk, resend, field="dispatch_queued_at")


def link_requests_requeue() -> int:
    """Beat: queue again the link requests whose worker has not run for WORK_STALLED_AFTER (their
    queueing was lost while the broker was down). Returns how many were queued. They are queued as a
    resend: for a request whose worker never ran that invites the admins all the same. Each is marked
    queued again only while its mark is there: the worker runs it and clears the mark."""
    from ..tasks import link_request_dispatch_task

    stalled = CompanyAccess.objects.filter(dispatch_queued_at__lt=stalled_before())
    return requeue_stalled(
        stalled, link_request_dispatch_task, args=lambda pk: (pk, True), field="dispatch_queued_at"
    )


def link_request_dispatch(*, access_id: int, resend: bool = False) -> int:
    """The worker's part of a link request: if a company has its tax ID, send the request to each active
    owner and admin (again, with `resend`, to those who have not answered). Returns the invitations
    queued. Safe to run twice: an admin gets one invitation per request.
    """
    with transaction.atomic():
        access = CompanyAccess.objects.select_for_update().filter(pk=access_id).first()
        if access is None:
            return 0
        if access.dispatch_queued_at is not None:
            CompanyAccess.objects.filter(pk=access.pk).update(dispatch_queued_at=None)
        if access.status != CompanyAccess.Status.PENDING:
            return 0
        company = access.matched_company or (
            Company.objects.filter(country=access.country, tax_id=access.tax_id).first()
        )
        if company is None:
            return 0
        if access.matched_company_id is None:
            access_request_match(access=access, company=company)
        # This request's invitations: those not closed by an answer or a withdrawal (a request made
        # again on the same row invites afresh).
        earlier = {
            invitation.recipient_id: invitation
            for invitation in access.invitations.filter(
                kind=Invitation.Kind.LINK, status__in=[*Invitation.OPEN_STATUSES, Status.EXPIRED]
            )
        }
        admins = CompanyMember.objects.filter(
            company=company,
            role__in=[CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN],
            user__is_active=True,
        ).select_related("user")
        queued = 0
        for member in admins:
            invitation = earlier.get(member.user_id)
            if invitation is None:
                _invitation_create(
                    kind=Invitation.Kind.LINK,
                    access=access,
                    company=company,
                    recipient=member.user,
                    invited_by=access.invited_by,
                )
                queued += 1
            elif resend and invitation.status in (Status.SENT, Status.FAILED, Status.EXPIRED):
                invitation_requeue(invitation)
                queued += 1
    return queued


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
    **person,
) -> Company:
    """Create a company for a client who has no account yet, with an active access for the workspace.

    The client gets an activation invitation. The password the accountant typed is kept only on the
    inactive account, and activation requires a different one. If the e-mail already has an account,
    nothing of that account changes: its owner is invited to take the company instead. `person`:
    person_type, document_type, given_names and surnames of a persona natural (see company_new).
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
            **person,
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
    if WorkspaceMember.objects.filter(workspace_id=access.workspace_id, user__email__iexact=email).exists():
        raise TeamMemberAsClient(email)
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
    access_request_touch(access=access)
    invitation = _invitation_create(
        kind=Invitation.Kind.ACTIVATION, access=access, recipient=user, invited_by=invited_by
    )
    audit_record(
        action="invitation.sent",
        actor=invited_by,
        workspace=access.workspace_id,
        company=access.company,
        target=invitation,
        object_label=invitation.email,
    )
    return invitation


def company_client_invite(
    *, company: Company, workspace: Workspace, email: str, invited_by: User
) -> Invitation:
    """From the company's page ("Invitar al cliente"): a login for the client of a company without owner.

    Only the workspace's owner and administrators invite (and the company's own owners and administrators who
    are not in the workspace: a member of it works under its role); never to a member of the workspace's team.
    """
    with transaction.atomic():
        access = CompanyAccess.objects.select_for_update().get(
            workspace=workspace, company=company, status=CompanyAccess.Status.ACTIVE
        )
        member = WorkspaceMember.objects.filter(workspace=workspace, user=invited_by).first()
        allowed = (
            member.is_manager
            if member is not None
            else CompanyMember.objects.filter(
                company=company,
                user=invited_by,
                role__in=[CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN],
            ).exists()
        )
        if not allowed:
            raise InvitationError(
                _("Only the owner and the administrators of the workspace can invite the company's client.")
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


def _invitation_create(
    *, kind: str, access: CompanyAccess, recipient: User, invited_by: User, company: Company | None = None
) -> Invitation:
    return invitation_new(
        kind=kind,
        workspace_id=access.workspace_id,
        recipient=recipient,
        invited_by=invited_by,
        company_id=company.pk if company else access.company_id,
        access=access,
    )
