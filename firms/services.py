"""Use cases of workspaces and companies. Views, tasks, admin and commands call these."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists
from stdnum.co import nit

from core.database import app_role_grant
from core.emails import email_message
from core.queue import enqueue_on_commit
from core.services import outgoing_email_queue
from core.urls import absolute_url

from .access import access_audience
from .audit import audit_event, audit_record, audit_record_many, changes
from .models import Company, CompanyAccess, CompanyMember, Country, Notice, Workspace, WorkspaceMember
from .provisioning import schema_replay, schema_seed, schema_template
from .reference import ciiu_divisions_by_section
from .snapshots import snapshot_refresh_queue
from .tax_ids import TaxId

logger = logging.getLogger(__name__)

# Key of the transaction-level advisory lock that serializes schema DDL (DESIGN.md).
PROVISIONING_LOCK_KEY = 7_301_001


class DomainError(Exception):
    """A business rule refused the change; the message is for the user."""


class CompanyProvisioningError(DomainError):
    pass


def workspace_create(*, owner, name: str, country: str = Country.CO) -> Workspace:
    """A new Espacio Contador with a trial of settings.TRIAL_DAYS days, owned by `owner`."""
    with transaction.atomic():
        workspace = Workspace.objects.create(
            name=name.strip(),
            country=country,
            trial_ends_on=timezone.localdate() + timedelta(days=settings.TRIAL_DAYS),
        )
        WorkspaceMember.objects.create(workspace=workspace, user=owner, role=WorkspaceMember.Role.OWNER)
        audit_record(action="workspace.created", actor=owner, workspace=workspace, target=workspace)
    return workspace


def workspace_update(*, workspace: Workspace, name: str, country: str) -> Workspace:
    before = {"name": workspace.name, "country": workspace.country}
    workspace.name = name.strip()
    workspace.country = country
    with transaction.atomic():
        workspace.save(update_fields=["name", "country"])
        was, now = changes(before, {"name": workspace.name, "country": workspace.country})
        audit_record(action="workspace.updated", workspace=workspace, target=workspace, before=was, after=now)
    return workspace


def workspace_set_plan(*, workspace: Workspace, plan: str) -> Workspace:
    """Admins mark a workspace as paid (or move it to consulta)."""
    before = workspace.plan
    workspace.plan = plan
    workspace.paid_since = timezone.now() if plan == Workspace.Plan.PAID else None
    with transaction.atomic():
        workspace.save(update_fields=["plan", "paid_since"])
        audit_record(
            action="plan.changed",
            workspace=workspace,
            target=workspace,
            summary=f"{before} → {plan}",
            before={"plan": before},
            after={"plan": plan},
        )
    return workspace


def company_new(
    *,
    name: str,
    country: str,
    tax_id: TaxId,
    sector: str = "",
    tax_responsibilities: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    person_type: str = Company.PersonType.JURIDICA,
    document_type: str = Company.DocumentType.NIT,
    given_names: str = "",
    surnames: str = "",
) -> Company:
    """An unsaved company for companies_create, from a parsed tax ID.

    A persona natural is named by their names and surnames; a company by its legal name.
    """
    natural = person_type == Company.PersonType.NATURAL
    given_names, surnames = given_names.strip(), surnames.strip()
    return Company(
        name=person_name(given_names, surnames) if natural and (given_names or surnames) else name.strip(),
        country=country,
        tax_id=tax_id.tax_id,
        check_digit=tax_id.check_digit,
        person_type=person_type,
        document_type=document_type if natural else Company.DocumentType.NIT,
        given_names=given_names if natural else "",
        surnames=surnames if natural else "",
        sector=sector,
        tax_responsibilities=sorted(set(tax_responsibilities)),
        phone=phone,
        email=email,
    )


def person_name(given_names: str, surnames: str) -> str:
    return " ".join(f"{given_names.strip()} {surnames.strip()}".split())[:200]


def companies_create(
    *,
    companies: list[Company],
    workspace: Workspace | None = None,
    access_status: str = CompanyAccess.Status.ACTIVE,
    created_by=None,
    provision: bool = True,
) -> list[CompanyAccess]:
    """The one way to create companies: saves the unsaved `companies` (listed at once), links them to
    `workspace` and queues their schemas' provisioning (in order) once the transaction commits.

    All or nothing: DomainError if any tax ID already exists for its country, even created meanwhile.
    Returns the accesses, in the order of `companies` (none without a workspace). A request the workspace
    made earlier for one of these tax IDs (no company had it) becomes that company's access. With
    provision=False the schemas wait for the beat job or the first visit (the demo's thousands).
    """
    if access_status == CompanyAccess.Status.PENDING:
        raise ValueError("A pending access is a link request: use access_request.")
    duplicate = DomainError(_("A company with this tax ID already exists for this country."))
    keys = {(company.country, company.tax_id) for company in companies}
    tax_ids = {tax_id for _country, tax_id in keys}
    existing = Company.objects.filter(tax_id__in=tax_ids).values_list("country", "tax_id")
    if keys & set(existing) or len(keys) < len(companies):
        raise duplicate
    for company in companies:
        company.fill_derived_fields()
    accesses: list[CompanyAccess] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                Company.objects.bulk_create(companies)
        except IntegrityError:  # another request created the same tax ID in between
            raise duplicate from None
        if workspace is not None:
            accesses = _accesses_for_new_companies(workspace, companies, access_status, created_by)
        # One INSERT for the events too: an import creates up to a thousand companies at once.
        audit_record_many(
            [
                audit_event(
                    action="company.created",
                    actor=created_by,
                    workspace=workspace,
                    company=company,
                    target=company,
                    summary=f"{company.country} {company.tax_id}",
                )
                for company in companies
            ]
        )
        if provision:
            company_provision_later(company_ids=[company.pk for company in companies])
    return accesses


def _accesses_for_new_companies(workspace, companies, status, created_by) -> list[CompanyAccess]:
    now = timezone.now()
    earlier = {
        (access.country, access.tax_id): access
        for access in CompanyAccess.objects.select_for_update().filter(
            workspace=workspace, tax_id__in={company.tax_id for company in companies}
        )
    }
    accesses, new, reused = [], [], []
    for company in companies:
        access = earlier.get((company.country, company.tax_id))
        if access is None:
            access = CompanyAccess(workspace=workspace, created_at=now)
            new.append(access)
        else:
            reused.append(access)
        access.company, access.matched_company, access.status = company, None, status
        access.invited_by, access.status_changed_at = created_by, now
        access.activated_at = now if status == CompanyAccess.Status.ACTIVE else access.activated_at
        access.fill_derived_fields()
        accesses.append(access)
    CompanyAccess.objects.bulk_create(new)
    CompanyAccess.objects.bulk_update(reused, ACCESS_FIELDS)
    return accesses


# The fields an access takes from its company, and those a change of status sets.
ACCESS_FIELDS = [
    "company",
    "matched_company",
    "status",
    "invited_by",
    "status_changed_at",
    "activated_at",
    "name",
    "country",
    "tax_id",
    "check_digit",
    "search_text",
]


def company_create(
    *,
    workspace: Workspace,
    access_status: str = CompanyAccess.Status.ACTIVE,
    created_by=None,
    **fields,
) -> CompanyAccess:
    """Create one company linked to `workspace` (see companies_create); returns its access."""
    (access,) = companies_create(
        companies=[company_new(**fields)],
        workspace=workspace,
        access_status=access_status,
        created_by=created_by,
    )
    return access


# What "Datos de la empresa" may change; the tax ID and the country stay (links and imports use them).
PROFILE_FIELDS = [
    "name",
    "person_type",
    "document_type",
    "given_names",
    "surnames",
    "sector",
    "ciiu_division",
    "tax_responsibilities",
    "iva_periodicity",
    "phone",
    "email",
]
# Only for Colombian companies (RUT, IVA, persona natural by cédula or NIT).
COLOMBIAN_FIELDS = {
    "person_type",
    "document_type",
    "given_names",
    "surnames",
    "tax_responsibilities",
    "iva_periodicity",
}


def company_update(*, company: Company, **fields) -> Company:
    """Datos de la empresa: the company's profile, and its name in the lists of its accountants.

    A persona natural is named by their names; by cédula it has no check digit, by NIT its check digit
    follows from the number. Raises DomainError for what does not apply to the company's country.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a profile field: {sorted(unknown)}")
    if company.country != Country.CO:
        if fields.get("tax_responsibilities"):
            raise DomainError(_("Tax responsibilities (RUT) apply only to Colombian companies."))
        if fields.get("person_type", Company.PersonType.JURIDICA) != Company.PersonType.JURIDICA:
            raise DomainError(_("Personas naturales are available for Colombian companies only."))
    division = fields.get("ciiu_division", company.ciiu_division)
    sector = fields.get("sector", company.sector)
    if division and division not in ciiu_divisions_by_section().get(sector, []):
        raise DomainError(
            _("The CIIU division %(division)s is not in the chosen sector.") % {"division": division}
        )
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        before = {name: getattr(company, name) for name in PROFILE_FIELDS}
        for name, value in fields.items():
            setattr(company, name, value)
        if "tax_responsibilities" in fields:
            company.tax_responsibilities = sorted(set(company.tax_responsibilities))
        if company.is_persona_natural:
            if not (company.given_names.strip() and company.surnames.strip()):
                raise DomainError(_("Write the given names and the surnames of the persona natural."))
            company.name = person_name(company.given_names, company.surnames)
        else:
            company.document_type, company.given_names, company.surnames = Company.DocumentType.NIT, "", ""
        if company.country == Country.CO:
            company.check_digit = (
                ""
                if company.document_type == Company.DocumentType.CC
                else nit.calc_check_digit(company.tax_id)
            )
        if not company.name.strip():
            raise DomainError(_("Write the company's name."))
        company.name = company.name.strip()
        company.fill_derived_fields()
        company.save(update_fields=[*PROFILE_FIELDS, "check_digit", "search_text"])
        CompanyAccess.objects.filter(company=company).update(
            name=company.name, check_digit=company.check_digit, search_text=company.search_text
        )
        was, now = changes(before, {name: getattr(company, name) for name in PROFILE_FIELDS})
        audit_record(action="company.updated", company=company, target=company, before=was, after=now)
        snapshot_refresh_queue(company_id=company.pk)  # the NIT and responsibilities set the due dates
    return company


# Link requests and the life of an access ----------------------------------------------------------


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


def access_notify(*, access: CompanyAccess, kind: str, detail: str = "") -> list[Notice]:
    """Tell the workspace's accountants who hear about the access (firms.access.access_audience), in the
    app, that a client answered or ended it; the one who sent the request (else the owner) also gets an
    e-mail, through the outbox like every other e-mail: kept with the notice and sent by a worker once this
    commits, queued again by the outbox's beat job if the broker is down (core.services)."""
    members = list(access_audience(access))
    if not members:
        return []
    emailed = next((m for m in members if m.user_id == access.invited_by_id), members[0])
    notices = Notice.objects.bulk_create(
        Notice(
            user_id=member.user_id,
            workspace_id=access.workspace_id,
            access=access,
            kind=kind,
            company_name=access.name,
            detail=detail[:2000],
            email_wanted=member.user_id == emailed.user_id,
        )
        for member in members
    )
    notice = next(notice for notice in notices if notice.email_wanted)
    notice.email = outgoing_email_queue(kind=f"access_{kind}", message=_notice_email(notice, emailed.user))
    notice.save(update_fields=["email"])
    return notices


def _notice_email(notice: Notice, user):
    return email_message(
        template=f"access_{notice.kind}",
        to=[user.email],
        language=user.language,
        context={
            "notice": notice,
            "user": user,
            "workspace": notice.access.workspace,
            "access": notice.access,
            "company_name": notice.company_name,
            "list_url": absolute_url(reverse("firms:workspace_home")),
            "notices_url": absolute_url(reverse("firms:notices")),
        },
    )


def notices_mark_read(*, user, workspace: Workspace) -> int:
    return Notice.objects.filter(user=user, workspace=workspace, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def company_member_add(*, company_id: int, user, role: str = CompanyMember.Role.OWNER) -> CompanyMember:
    """Give a client user a role in a company (kept if they already have one)."""
    member, _created = CompanyMember.objects.get_or_create(
        company_id=company_id, user=user, defaults={"role": role}
    )
    return member


def company_provision_later(*, company_ids: Iterable[int]) -> None:
    """Queue provisioning once the current transaction commits, in the given order. With the broker
    down the companies stay pending: the beat job or the first visit provisions them."""
    from .tasks import company_provision_task

    for company_id in company_ids:
        enqueue_on_commit(company_provision_task, company_id)


def company_provision(*, company_id: int) -> Company:
    """Create the company's schema and seed its books. Safe to run twice or concurrently.

    The schema is made by replaying a migrated template's statements (firms.provisioning), not by
    running the migrations again for each company.

    Schema DDL is serialized by an advisory lock; the schema, its tables and the seeded rows are
    committed together or not at all, and the status tells the truth in between.
    """
    company = Company.objects.get(pk=company_id)  # DoesNotExist: a company deleted since it was queued
    if company.is_ready:
        return company
    Company.objects.filter(pk=company_id).exclude(provisioning_status=Company.Provisioning.READY).update(
        provisioning_status=Company.Provisioning.PROVISIONING
    )
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK_KEY])
            company = Company.objects.select_for_update().get(pk=company_id)
            if company.provisioning_status == Company.Provisioning.READY:
                return company
            started = timezone.now()
            if not schema_exists(company.schema_name):
                template = schema_template()
                schema_replay(schema_name=company.schema_name, template=template)
                schema_seed(schema_name=company.schema_name, country=company.country, template=template)
                app_role_grant([company.schema_name])
            company.provisioning_status = Company.Provisioning.READY
            company.provisioning_error = ""
            company.provisioned_at = timezone.now()
            company.save(update_fields=["provisioning_status", "provisioning_error", "provisioned_at"])
            snapshot_refresh_queue(company_id=company.pk)
            logger.info("Provisioned %s in %s", company.schema_name, company.provisioned_at - started)
            return company
    except Exception as exc:
        logger.exception("Provisioning company %s failed", company_id)
        Company.objects.filter(pk=company_id).update(
            provisioning_status=Company.Provisioning.FAILED, provisioning_error=str(exc)[:2000]
        )
        raise CompanyProvisioningError(
            _("The company's books could not be prepared. Try again in a moment.")
        ) from exc
