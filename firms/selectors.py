"""Reads shared by the workspace views."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from core.text import search_words

from .access import companies_for_user, member_accesses
from .models import AuditEvent, Company, CompanyAccess, CompanyAssignment, Notice, Workspace, WorkspaceMember

TAX_ID_QUERY = re.compile(r"^[\d.\-\s]+$")

SNAP = "company__snapshot__"
# The board's columns that sort (?orden=key, "-key" for the other way); anything else gets the default.
# Name, tax ID, country, status and date linked are the access's own columns (a request has no company).
SORT_COLUMNS = {
    "name": ["name"],
    "tax_id": ["tax_id"],
    "country": ["country", "name"],
    "status": ["status", "created_at"],
    "linked": ["created_at"],
    "invitation": ["invitation_status", "name"],
    "responsible": ["responsible_name", "name"],
    "last_entry": [f"{SNAP}last_entry_date", "name"],
    "drafts": [f"{SNAP}drafts", "name"],
    "locked": [f"{SNAP}locked_until", "name"],
    "banks": [f"{SNAP}banks", "name"],
    "receivables": [f"{SNAP}receivables", "name"],
    "payables": [f"{SNAP}payables", "name"],
    "taxes": [f"{SNAP}taxes_payable", "name"],
    "result": [f"{SNAP}result", "name"],
    "due": [f"{SNAP}next_due_date", "name"],
    "alerts": ["alert_count", "name"],
    "refreshed": [f"{SNAP}refreshed_at", "name"],
}
ATTENTION = "attention"
SORTS = {ATTENTION: ATTENTION} | {key: key for key in SORT_COLUMNS} | {f"-{key}": key for key in SORT_COLUMNS}
DEFAULT_SORT = ATTENTION
# Alerts (?alerta=): balances against their nature (a tercero's negative cartera too), drafts older than
# DRAFT_ALERT_DAYS, a due date not marked filed within DUE_ALERT_DAYS (or overdue).
ALERT_NATURE, ALERT_DRAFTS, ALERT_DUE, ANY_ALERT = "nature", "drafts", "due", "any"
DRAFT_ALERT_DAYS, DUE_ALERT_DAYS = 30, 5
NO_RESPONSIBLE = "none"


def _ordering(sort: str) -> list:
    """The ORDER BY of a sort key; empty values go last both ways, the id breaks ties."""
    if sort not in SORTS or sort == ATTENTION:
        return [
            F("alert_count").desc(),
            F(f"{SNAP}next_due_date").asc(nulls_last=True),
            F("name").asc(),
            F("id").asc(),
        ]
    descending = sort.startswith("-")
    columns = SORT_COLUMNS[sort.lstrip("-")]
    first = F(columns[0]).desc(nulls_last=True) if descending else F(columns[0]).asc(nulls_last=True)
    rest = [F(column).desc() if descending else F(column).asc() for column in columns[1:]]
    return [first, *rest, F("id").desc() if descending else F("id").asc()]


def search_terms(query: str) -> list[str]:
    """The parts of a typed query that search_text must all contain, anywhere: a tax ID's digits
    ("900.123" -> ["900123"]) or each word without accents and punctuation ("SAS peña" -> ["sas", "pena"])."""
    query = query.strip()
    if TAX_ID_QUERY.match(query):
        digits = re.sub(r"\D", "", query)
        return [digits] if digits else []
    return search_words(query)


def _matching(queryset, query: str):
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


@dataclass
class CompanyFilters:
    query: str = ""
    status: str = ""
    provisioning: str = ""
    country: str = ""
    invitation: str = ""
    responsible: str = ""  # a WorkspaceMember id, or NO_RESPONSIBLE
    alert: str = ""
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.query
            or self.status
            or self.provisioning
            or self.country
            or self.invitation
            or self.responsible
            or self.alert
        )


def _alerts() -> dict:
    """The alert flags of each row, from the snapshot's dates, so that they age without a refresh."""
    now = timezone.now()
    soon = timezone.localdate() + timedelta(days=DUE_ALERT_DAYS)
    flags = {
        "alert_nature": Q(**{f"{SNAP}against_nature_count__gt": 0})
        | Q(**{f"{SNAP}negative_receivables_count__gt": 0}),
        "alert_drafts": Q(**{f"{SNAP}oldest_draft_at__lt": now - timedelta(days=DRAFT_ALERT_DAYS)}),
        "alert_due": Q(**{f"{SNAP}next_due_date__lte": soon}),
    }
    return {
        **{name: Case(When(q, then=Value(True)), default=Value(False)) for name, q in flags.items()},
        "alert_count": sum(
            (Case(When(q, then=Value(1)), default=Value(0)) for q in flags.values()), Value(0)
        ),
    }


def workspace_company_list(*, member: WorkspaceMember, filters: CompanyFilters) -> QuerySet[CompanyAccess]:
    """The portfolio board (tablero de clientes): the workspace's linked companies and requests the member
    may see (all for owners and administrators, their assignments for the others:
    firms.access.member_accesses), with each company's snapshot (figures, alerts) and responsable, filtered
    and sorted. One query for any number of companies: every figure comes from the snapshot table, never
    from the companies' schemas.

    Name, tax ID, country and status are the access's own columns: a request (which has no company) answers
    those filters the same way whether or not a company has its tax ID, and has no figures.
    """
    # One LEFT JOIN (at most one responsable per access, a constraint), not a subquery per row.
    who = "responsible__member__user__"
    accesses = _matching(
        member_accesses(member)
        .select_related("company", "company__snapshot")
        .annotate(
            responsible=FilteredRelation("assignments", condition=Q(assignments__is_responsible=True)),
            responsible_name=Coalesce(
                NullIf(f"{who}full_name", Value("")), f"{who}email", output_field=CharField()
            ),
            **_alerts(),
        ),
        filters.query,
    )
    if filters.responsible == NO_RESPONSIBLE:
        accesses = accesses.filter(responsible__isnull=True)
    elif filters.responsible.isdigit():
        accesses = accesses.filter(responsible__member_id=int(filters.responsible))
    if filters.alert == ANY_ALERT:
        accesses = accesses.filter(alert_count__gt=0)
    elif filters.alert in (ALERT_NATURE, ALERT_DRAFTS, ALERT_DUE):
        accesses = accesses.filter(**{f"alert_{filters.alert}": True})
    if filters.status:
        accesses = accesses.filter(status=filters.status)
    if filters.provisioning:
        accesses = accesses.filter(company__provisioning_status=filters.provisioning)
    if filters.country:
        accesses = accesses.filter(country=filters.country)
    if filters.invitation:
        accesses = accesses.filter(invitation_status=filters.invitation)
    return accesses.order_by(*_ordering(filters.sort))


def workspace_members(*, workspace: Workspace) -> QuerySet[WorkspaceMember]:
    """The team's members by name (the board's responsable filter, Asignar, the log's "who" filter)."""
    return (
        WorkspaceMember.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def switcher_companies(*, user, query: str, recent_ids: list[int], limit: int = 8) -> list[Company]:
    """Companies for the top-bar switcher: the recent ones first, then by name."""
    companies = _matching(
        companies_for_user(user).only("name", "slug", "country", "tax_id", "check_digit"), query
    )
    recent = {pk: rank for rank, pk in enumerate(recent_ids)}
    recent_hits = list(companies.filter(pk__in=recent_ids)) if recent_ids else []
    recent_hits.sort(key=lambda company: recent[company.pk])
    others = list(
        companies.exclude(pk__in=recent_ids).order_by("name", "id")[: max(limit - len(recent_hits), 0)]
    )
    return (recent_hits + others)[:limit]


def workspace_notices(*, user, workspace: Workspace) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user, workspace=workspace).select_related("access__company")


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


# The activity log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilters:
    company: str = ""  # part of the company's name
    actor_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def activity_events(
    *, workspace: Workspace | None = None, company: Company | None = None, filters: ActivityFilters
) -> QuerySet[AuditEvent]:
    """The log of a workspace (what its people did) or of a company (what was done in it), newest first.
    Dates are whole local days; each range is served by the (workspace|company, -at) index."""
    if (workspace is None) == (company is None):
        raise ValueError("The log of a workspace or of a company.")
    events = (
        AuditEvent.objects.filter(workspace=workspace)
        if workspace
        else AuditEvent.objects.filter(company=company)
    )
    if filters.company:
        events = events.filter(company_name__icontains=filters.company)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.since:
        events = events.filter(at__gte=_day_start(filters.since))
    if filters.until:
        events = events.filter(at__lt=_day_start(filters.until + timedelta(days=1)))
    return events.order_by("-at", "-id")


def workspace_people(*, workspace: Workspace) -> list[tuple[int, str]]:
    """The workspace's members as (user id, name or e-mail), for the log's "who" filter."""
    return [(member.user_id, member.display_name) for member in workspace_members(workspace=workspace)]


def team_members(*, workspace: Workspace) -> QuerySet[WorkspaceMember]:
    """Equipo: the workspace's members, owner first, with how many companies each one is assigned to."""
    return (
        WorkspaceMember.objects.filter(workspace=workspace)
        .select_related("user")
        .annotate(
            companies=Count("assignments", distinct=True),
            responsible_for=Count("assignments", filter=Q(assignments__is_responsible=True), distinct=True),
            owner_first=Case(When(role=WorkspaceMember.Role.OWNER, then=Value(0)), default=Value(1)),
        )
        .order_by("owner_first", "user__full_name", "user__email", "pk")
    )


def access_assignments(*, access: CompanyAccess) -> QuerySet[CompanyAssignment]:
    """Who works on one company of the workspace, the responsable first."""
    return (
        CompanyAssignment.objects.filter(access=access)
        .select_related("member__user")
        .order_by("-is_responsible", "member__user__full_name", "member__user__email")
    )
