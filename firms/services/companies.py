"""Companies: creating them (one, or many from an import), their profile, their client members."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.co import nit

from ..models import Company, CompanyAccess, CompanyMember, Country, Workspace
from ..reference import ciiu_divisions_by_section
from ..tax_ids import TaxId
from .audit import audit_event, audit_record, audit_record_many, changes
from .common import DomainError
from .provisioning import company_provision_later
from .snapshots import snapshot_refresh_queue


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


def company_member_add(*, company_id: int, user, role: str = CompanyMember.Role.OWNER) -> CompanyMember:
    """Give a client user a role in a company (kept if they already have one)."""
    member, _created = CompanyMember.objects.get_or_create(
        company_id=company_id, user=user, defaults={"role": role}
    )
    return member
