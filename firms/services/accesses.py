"""A workspace's access to a company: requests, their answers, revoking; every change in the activity log."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Company, CompanyAccess, Workspace
from ..tax_ids import TaxId
from .audit import audit_record
from .common import DomainError


class AccessAlreadyActive(DomainError):
    pass


class AccessAlreadyRequested(DomainError):
    pass


class AccessRecentlyDeclined(DomainError):
    pass


def access_request(
    *, workspace: Workspace, name: str, country: str, tax_id: TaxId, invited_by=None
) -> CompanyAccess:
    """A link request of `workspace` for a tax ID ("Añadir cliente"): a pending access without company.

    The same rows and fields whether or not a company has that tax ID: the company is looked for later,
    out of the workspace's sight (invitations' dispatch, then access_request_match). Raises DomainError
    subclasses: already linked, already waiting, or declined recently (CompanyAccess.declined_until).
    """
    now = timezone.now()
    with transaction.atomic():
        access = (
            CompanyAccess.objects.select_for_update()
            .filter(workspace=workspace, country=country, tax_id=tax_id.tax_id)
            .first()
        )
        if access is not None:
            _refuse_request_again(access, now)
        else:
            access = CompanyAccess(workspace=workspace, country=country, tax_id=tax_id.tax_id, created_at=now)
        access.company = access.matched_company = None
        access.status = CompanyAccess.Status.PENDING
        access.name, access.check_digit = name.strip()[:200], tax_id.check_digit
        access.invited_by, access.requested_at, access.status_changed_at = invited_by, now, now
        access.invitation_status, access.invitation_status_at, access.decline_reason = "", None, ""
        try:
            with transaction.atomic():
                access.save()
        except IntegrityError:  # the same request, sent twice at once
            raise AccessAlreadyRequested(
                _("You already sent a request for this tax ID; it is waiting for an answer.")
            ) from None
        _audit_access("access.requested", access, actor=invited_by)
    return access


def _audit_access(action: str, access: CompanyAccess, actor=None) -> None:
    """An event of the access's workspace; its company only once linked (a request never tells the
    workspace whether a company has the tax ID, nor its name)."""
    audit_record(
        action=action,
        actor=actor,
        workspace=access.workspace_id,
        company=access.company,
        target=access,
        object_label=access.name,
        summary=f"{access.country} {access.tax_id}",
    )


def _refuse_request_again(access: CompanyAccess, now) -> None:
    if access.status == CompanyAccess.Status.ACTIVE:
        raise AccessAlreadyActive(_("This company is already linked to your workspace."))
    if access.status == CompanyAccess.Status.PENDING:
        raise AccessAlreadyRequested(
            _("You already sent a request for this tax ID; it is waiting for an answer.")
        )
    again = access.declined_until(now)
    if again is not None:
        raise AccessRecentlyDeclined(
            _("This company declined your request on %(date)s. You can ask again from %(again)s.")
            % {
                "date": date_format(timezone.localtime(access.status_changed_at).date()),
                "again": date_format(timezone.localtime(again).date()),
            }
        )


def access_request_match(*, access: CompanyAccess, company: Company) -> CompanyAccess:
    """The pending request is for `company` (kept apart: the workspace sees nothing of it)."""
    if access.status != CompanyAccess.Status.PENDING:
        raise DomainError(_("This request is no longer waiting for an answer."))
    access.matched_company = company
    access.save(update_fields=["matched_company"])
    return access


def access_request_touch(*, access: CompanyAccess) -> CompanyAccess:
    """The accountant sent the request or the invitation (again) now."""
    access.requested_at = timezone.now()
    access.save(update_fields=["requested_at"])
    return access


def _set_status(access: CompanyAccess, status: str, **fields) -> CompanyAccess:
    access.status, access.status_changed_at = status, timezone.now()
    for name, value in fields.items():
        setattr(access, name, value)
    access.fill_derived_fields()
    access.save(
        update_fields=[
            "status",
            "status_changed_at",
            *fields,
            "name",
            "country",
            "tax_id",
            "check_digit",
            "search_text",
        ]
    )
    return access


def _pending(access: CompanyAccess) -> CompanyAccess:
    access = (
        CompanyAccess.objects.select_for_update(of=("self",))
        .select_related("matched_company")
        .get(pk=access.pk)
    )
    if access.status != CompanyAccess.Status.PENDING:
        raise DomainError(_("This request is no longer waiting for an answer."))
    return access


def access_request_accept(*, access: CompanyAccess) -> CompanyAccess:
    """The company accepted: the workspace enters it, and from now on sees the company's own data."""
    with transaction.atomic():
        access = _pending(access)
        if access.matched_company is None:
            raise DomainError(_("This request is no longer waiting for an answer."))
        access = _set_status(
            access,
            CompanyAccess.Status.ACTIVE,
            company=access.matched_company,
            activated_at=access.activated_at or timezone.now(),
        )
        _audit_access("access.accepted", access)
        return access


def access_request_decline(*, access: CompanyAccess, reason: str = "") -> CompanyAccess:
    """The company declined: the workspace sees the answer and the reason, still not the company."""
    with transaction.atomic():
        access = _set_status(
            _pending(access), CompanyAccess.Status.DECLINED, decline_reason=reason.strip()[:1000]
        )
        _audit_access("access.declined", access)
        return access


def access_request_withdraw(*, access: CompanyAccess) -> CompanyAccess:
    """The accountant withdrew the request before an answer."""
    with transaction.atomic():
        access = _set_status(_pending(access), CompanyAccess.Status.WITHDRAWN)
        _audit_access("access.withdrawn", access)
        return access


def access_revoke(*, access: CompanyAccess) -> CompanyAccess:
    """The company ended an active access at once."""
    with transaction.atomic():
        access = (
            CompanyAccess.objects.select_for_update(of=("self",)).select_related("company").get(pk=access.pk)
        )
        if access.status != CompanyAccess.Status.ACTIVE:
            raise DomainError(_("This accounting practice has no active access to revoke."))
        access = _set_status(access, CompanyAccess.Status.REVOKED)
        _audit_access("access.revoked", access)
        return access


def access_set_invitation_status(
    *, access_id: int, status: str, at, decline_reason: str | None = None
) -> None:
    """Mirror the access's latest invitation (invitations calls this) for the workspace list."""
    fields = {"invitation_status": status, "invitation_status_at": at}
    if decline_reason is not None:
        fields["decline_reason"] = decline_reason
    CompanyAccess.objects.filter(pk=access_id).update(**fields)


# Notices ----------------------------------------------------------------------------------------
