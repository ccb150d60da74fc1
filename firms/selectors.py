"""Reads shared by the workspace views."""

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from core.text import search_normalize

from .access import companies_for_user
from .models import Company, CompanyAccess, Workspace

TAX_ID_QUERY = re.compile(r"^[\d.\-\s]+$")

SORTS = {
    "name": ("company__name", "company_id"),
    "-name": ("-company__name", "-company_id"),
    "tax_id": ("company__tax_id", "company_id"),
    "-tax_id": ("-company__tax_id", "-company_id"),
    "country": ("company__country", "company__name", "company_id"),
    "-country": ("-company__country", "company__name", "company_id"),
    # Within a status, oldest link first: served by an index, also for 10,000 companies.
    "status": ("status", "created_at", "id"),
    "-status": ("-status", "-created_at", "-id"),
    "linked": ("created_at", "id"),
    "-linked": ("-created_at", "-id"),
}
DEFAULT_SORT = "name"


def search_term(query: str) -> str:
    """The form of a typed query that matches Company.search_text ("900.123" -> "900123")."""
    query = query.strip()
    if TAX_ID_QUERY.match(query):
        return re.sub(r"\D", "", query)
    return search_normalize(query)


@dataclass
class CompanyFilters:
    query: str = ""
    status: str = ""
    provisioning: str = ""
    country: str = ""
    invitation: str = ""
    sort: str = DEFAULT_SORT


def workspace_company_list(*, workspace: Workspace, filters: CompanyFilters) -> QuerySet[CompanyAccess]:
    """The workspace's linked companies ("Empresas vinculadas"), filtered and sorted."""
    accesses = CompanyAccess.objects.filter(workspace=workspace).select_related("company")
    term = search_term(filters.query)
    if term:
        accesses = accesses.filter(company__search_text__contains=term)
    if filters.status:
        accesses = accesses.filter(status=filters.status)
    if filters.provisioning:
        accesses = accesses.filter(company__provisioning_status=filters.provisioning)
    if filters.country:
        accesses = accesses.filter(company__country=filters.country)
    if filters.invitation:
        accesses = accesses.filter(invitation_status=filters.invitation)
    return accesses.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def switcher_companies(*, user, query: str, recent_ids: list[int], limit: int = 8) -> list[Company]:
    """Companies for the top-bar switcher: the recent ones first, then by name."""
    companies = companies_for_user(user).only("name", "slug", "country", "tax_id", "check_digit")
    term = search_term(query)
    if term:
        companies = companies.filter(search_text__contains=term)
    recent = {pk: rank for rank, pk in enumerate(recent_ids)}
    recent_hits = list(companies.filter(pk__in=recent_ids)) if recent_ids else []
    recent_hits.sort(key=lambda company: recent[company.pk])
    others = list(
        companies.exclude(pk__in=recent_ids).order_by("name", "id")[: max(limit - len(recent_hits), 0)]
    )
    return (recent_hits + others)[:limit]


def company_by_reference(reference: str) -> Company | None:
    """A company by its slug, or by its Colombian NIT with or without check digit ("900.123.456-8",
    "9001234568", "900123456") — for the command line."""
    reference = reference.strip()
    company = Company.objects.filter(slug=reference).first()
    if company is not None or not TAX_ID_QUERY.match(reference):
        return company
    number, _sep, check_digit = reference.replace(".", "").replace(" ", "").partition("-")
    colombian = Company.objects.filter(country="CO")
    if check_digit:
        return colombian.filter(tax_id=number, check_digit=check_digit).first()
    return (
        colombian.filter(tax_id=number).first()
        or colombian.filter(tax_id=number[:-1], check_digit=number[-1:]).first()
    )
