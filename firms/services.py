"""Use cases of workspaces and companies. Views, tasks, admin and commands call these."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from core.queue import enqueue_on_commit

from .models import Company, CompanyAccess, CompanyMember, Country, Workspace, WorkspaceMember
from .provisioning import schema_replay, schema_seed, schema_template
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
    return workspace


def workspace_update(*, workspace: Workspace, name: str, country: str) -> Workspace:
    workspace.name = name.strip()
    workspace.country = country
    workspace.save(update_fields=["name", "country"])
    return workspace


def workspace_set_plan(*, workspace: Workspace, plan: str) -> Workspace:
    """Admins mark a workspace as paid (or move it to consulta)."""
    workspace.plan = plan
    workspace.paid_since = timezone.now() if plan == Workspace.Plan.PAID else None
    workspace.save(update_fields=["plan", "paid_since"])
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
) -> Company:
    """An unsaved company for companies_create, from a parsed tax ID."""
    return Company(
        name=name.strip(),
        country=country,
        tax_id=tax_id.tax_id,
        check_digit=tax_id.check_digit,
        sector=sector,
        tax_responsibilities=sorted(set(tax_responsibilities)),
        phone=phone,
        email=email,
    )


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
    Returns the accesses it created (none without a workspace). With provision=False the schemas wait
    for the beat job or the first visit (the demo's thousands of companies).
    """
    duplicate = DomainError(_("A company with this tax ID already exists for this country."))
    keys = {(company.country, company.tax_id) for company in companies}
    existing = Company.objects.filter(tax_id__in={tax_id for _country, tax_id in keys}).values_list(
        "country", "tax_id"
    )
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
            now = timezone.now()
            accesses = CompanyAccess.objects.bulk_create(
                CompanyAccess(
                    workspace=workspace,
                    company=company,
                    status=access_status,
                    invited_by=created_by,
                    created_at=now,
                    status_changed_at=now,
                )
                for company in companies
            )
        if provision:
            company_provision_later(company_ids=[company.pk for company in companies])
    return accesses


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


def company_set_iva_periodicity(*, company: Company, periodicity: str) -> Company:
    company.iva_periodicity = periodicity
    company.save(update_fields=["iva_periodicity"])
    return company


def company_link(*, workspace: Workspace, company: Company, status: str, invited_by=None) -> CompanyAccess:
    access, created = CompanyAccess.objects.get_or_create(
        workspace=workspace, company=company, defaults={"status": status, "invited_by": invited_by}
    )
    if not created and access.status != status:
        access.status = status
        access.status_changed_at = timezone.now()
        access.save(update_fields=["status", "status_changed_at"])
    return access


def access_set_invitation_status(
    *, access_id: int, status: str, at, decline_reason: str | None = None
) -> None:
    """Mirror the access's latest invitation (invitations calls this) for the workspace list."""
    fields = {"invitation_status": status, "invitation_status_at": at}
    if decline_reason is not None:
        fields["decline_reason"] = decline_reason
    CompanyAccess.objects.filter(pk=access_id).update(**fields)


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
            company.provisioning_status = Company.Provisioning.READY
            company.provisioning_error = ""
            company.provisioned_at = timezone.now()
            company.save(update_fields=["provisioning_status", "provisioning_error", "provisioned_at"])
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
