"""Reads of indicators, benefits and each client's tax calendar, shared by views, exports and tasks."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.l10n import shipped_name
from core.tokens import token_hash
from firms.access import companies_for_user, member_companies
from firms.models import Company, CompanyAccess, Country, Workspace, WorkspaceMember

from .models import (
    Benefit,
    CalendarFeed,
    DueDateOverride,
    NonBusinessDay,
    ObligationFiling,
    Resource,
    ResourceRead,
    TaxObligation,
)
from .taxcalendar import RULES, DueDate, national_calendar

# Overdue due dates are shown for this long after they passed, unless marked as filed.
OVERDUE_DAYS = 60


# Indicators and benefits ------------------------------------------------------------------------


def workspace_countries(workspace: Workspace) -> set[str]:
    """The workspace's own country and those of the companies it works on."""
    countries = set(
        CompanyAccess.objects.filter(workspace=workspace, status=CompanyAccess.Status.ACTIVE)
        .values_list("company__country", flat=True)
        .distinct()
    )
    return countries | {workspace.country}


def _for_countries(countries: Iterable[str]) -> Q:
    return Q(countries=[]) | Q(countries__overlap=list(countries))


def resources_for(*, workspace: Workspace, user: User, kind: str = "") -> QuerySet[Resource]:
    resources = Resource.objects.filter(_for_countries(workspace_countries(workspace)))
    if kind:
        resources = resources.filter(kind=kind)
    read = ResourceRead.objects.filter(user=user, resource=OuterRef("pk"))
    return resources.annotate(is_read=Exists(read))


def benefits_for(*, workspace: Workspace) -> QuerySet[Benefit]:
    """The benefits the workspace qualifies for today: its countries and plan; expired ones hidden."""
    today = timezone.localdate()
    plan = workspace.current_plan()
    return Benefit.objects.filter(
        _for_countries(workspace_countries(workspace)),
        Q(plans=[]) | Q(plans__contains=[plan]),
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
    )


# The tax calendar -------------------------------------------------------------------------------


def calendar_for_year(year: int) -> list[DueDate]:
    """The national calendar of `year` with the admin's extra non-business days and overrides."""
    overrides = {
        (o.obligation, o.period, o.nit_last_digits): (o.due_date, o.note)
        for o in DueDateOverride.objects.all()
    }
    extra = NonBusinessDay.objects.values_list("day", flat=True)
    return national_calendar(year, extra_non_business=extra, overrides=overrides)


@dataclass
class CompanyDueDate:
    company: Company
    obligation: TaxObligation
    period: str
    due_date: date
    note: str
    filed: bool

    @property
    def overdue(self) -> bool:
        return not self.filed and self.due_date < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        return -self.days_left


def company_obligations(company: Company, obligations: list[TaxObligation]) -> list[TaxObligation]:
    return [o for o in obligations if o.code in RULES and o.applies_to(company)]


def due_dates_for(
    *, companies: Iterable[Company], start: date, end: date, obligation: str = ""
) -> list[CompanyDueDate]:
    """Every due date between `start` and `end` of each Colombian company, by its NIT and responsibilities.

    Overdue ones (before today, not marked filed) come first, then by date.
    """
    companies = [c for c in companies if c.country == Country.CO]
    obligations = list(TaxObligation.objects.filter(active=True))
    if obligation:
        obligations = [o for o in obligations if o.code == obligation]
    national: dict[tuple[str, str, str], DueDate] = {}
    for year in range(start.year - 1, end.year + 1):
        for row in calendar_for_year(year):
            if start <= row.due_date <= end:
                national[(row.obligation, row.period, row.nit_last_digits)] = row
    by_rule: dict[tuple[str, str], list[DueDate]] = {}
    for (code, _period, digits), row in national.items():
        by_rule.setdefault((code, digits), []).append(row)
    filed = set(
        ObligationFiling.objects.filter(company__in=companies).values_list(
            "company_id", "obligation", "period"
        )
    )
    result = []
    for company in companies:
        for tax in company_obligations(company, obligations):
            digits = RULES[tax.code].digits_of(company.tax_id)
            for row in by_rule.get((tax.code, digits), []):
                result.append(
                    CompanyDueDate(
                        company,
                        tax,
                        row.period,
                        row.due_date,
                        row.note,
                        (company.pk, tax.code, row.period) in filed,
                    )
                )
    result.sort(key=lambda d: (not d.overdue, d.due_date, d.company.name, d.obligation.order))
    return result


def calendar_window(days: int) -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=OVERDUE_DAYS), today + timedelta(days=days)


def workspace_calendar_companies(member: WorkspaceMember) -> QuerySet[Company]:
    """The Colombian companies of the workspace the member sees (firms.access.member_companies)."""
    return member_companies(member).filter(country=Country.CO).order_by("name")


def upcoming_only(due_dates: list[CompanyDueDate]) -> list[CompanyDueDate]:
    """Overdue ones not filed, and everything from today on."""
    today = timezone.localdate()
    return [d for d in due_dates if d.due_date >= today or d.overdue]


def calendar_feed_user(token: str) -> User | None:
    """The owner of a private calendar address, while the address and the account are valid."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    return feed.user if feed and feed.user.is_active else None


def user_calendar_companies(user: User) -> QuerySet[Company]:
    return companies_for_user(user).filter(country=Country.CO).order_by("name")


def tax_reminder_recipients() -> list[int]:
    return list(
        User.objects.filter(is_active=True, tax_reminders=True, workspace_memberships__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )


def companies_without_responsibilities(companies: Iterable[Company]) -> list[Company]:
    """Colombian companies whose calendar is empty because their RUT responsibilities are not filled in."""
    return [c for c in companies if c.country == Country.CO and not c.tax_responsibilities]


def obligation_name(code: str) -> str:
    name = TaxObligation.objects.filter(code=code).values_list("name", flat=True).first()
    return shipped_name("tax_obligation", name) if name else code


@dataclass
class Filing:
    obligation: str
    name: str
    period: str
    filed_at: object
    filed_by: str


def company_filings(company: Company) -> list[Filing]:
    """The obligations marked as filed for the company, newest first, with who marked them and when."""
    names = dict(TaxObligation.objects.values_list("code", "name"))
    return [
        Filing(
            f.obligation,
            shipped_name("tax_obligation", names[f.obligation]) if f.obligation in names else f.obligation,
            f.period,
            f.filed_at,
            f.filed_by.get_full_name() if f.filed_by else "—",
        )
        for f in ObligationFiling.objects.filter(company=company)
        .select_related("filed_by")
        .order_by("-filed_at", "-id")
    ]
