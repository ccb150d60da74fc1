import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, QuerySet, Value, When

from core.text import search_normalize

from .models import Account, CostCenter, Entry, EntryLine, ThirdParty


def company_country() -> str:
    """The country of the company whose books are open (the connection's tenant); Colombia outside one."""
    return getattr(connection.tenant, "country", "") or "CO"


def account_children(*, parent: Account | None) -> QuerySet[Account]:
    """The accounts directly under `parent` (the classes when None), with their child counts."""
    return Account.objects.filter(parent=parent).annotate(child_count=Count("children")).order_by("code")


def _words(query: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", search_normalize(query)) if word]


def account_search(*, query: str, limit: int = 200, movement_only: bool = False) -> QuerySet[Account]:
    """Accounts whose code starts with the query, or whose name has every word of it (accent-insensitive);
    accounts where the words stand whole ("iva" in "IVA POR PAGAR") come before the ones that merely
    contain them ("PRIVADA")."""
    query = query.strip()
    accounts = Account.objects.all()
    if movement_only:
        accounts = accounts.filter(is_active=True).exclude(
            Exists(Account.objects.filter(parent=OuterRef("pk")))
        )
    if query.isdigit():
        return accounts.filter(code__startswith=query).order_by("code")[:limit]
    words = _words(query)
    if not words:
        return accounts.none()
    for word in words:
        accounts = accounts.filter(search_text__contains=word)
    whole = sum(
        (Case(When(search_text__regex=rf"\m{word}\M", then=Value(1)), default=Value(0)) for word in words),
        Value(0),
    )
    return accounts.annotate(whole_words=whole).order_by("-whole_words", "code")[:limit]


def account_ancestors(account: Account) -> list[Account]:
    """Breadcrumb from the class down to `account` (codes are prefixes of their children's)."""
    codes = [account.code[:n] for n in range(1, len(account.code))]
    return list(Account.objects.filter(code__in=codes).order_by("code")) + [account]


def third_party_search(*, query: str, active_only: bool = False) -> QuerySet[ThirdParty]:
    """Terceros by document number (from its start) or by every word of their name, accent-insensitive."""
    third_parties = ThirdParty.objects.all()
    if active_only:
        third_parties = third_parties.filter(is_active=True)
    digits = re.sub(r"[.\-\s]", "", query)
    if digits.isdigit():
        return third_parties.filter(number__startswith=digits).order_by("number")
    for word in _words(query):
        third_parties = third_parties.filter(search_text__contains=word)
    return third_parties.order_by("business_name", "last_names", "first_names", "id")


def third_party_ids_by_number(numbers) -> dict[str, int]:
    return dict(ThirdParty.objects.filter(number__in=set(numbers)).values_list("number", "id"))


def cost_center_ids_by_code(codes) -> dict[str, int]:
    return dict(CostCenter.objects.filter(code__in=set(codes)).values_list("code", "id"))


@dataclass
class EntryFilters:
    voucher_type: int | None = None
    number: int | None = None
    start: date | None = None
    end: date | None = None
    third_party: str = ""
    account: str = ""
    status: str = ""


def entry_list(*, filters: EntryFilters) -> QuerySet[Entry]:
    """Comprobantes, newest first, filtered by type, number, dates, tercero, account and status."""
    entries = Entry.objects.select_related("voucher_type")
    if filters.voucher_type:
        entries = entries.filter(voucher_type_id=filters.voucher_type)
    if filters.number:
        entries = entries.filter(number=filters.number)
    if filters.start:
        entries = entries.filter(date__gte=filters.start)
    if filters.end:
        entries = entries.filter(date__lte=filters.end)
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.account:
        account = filters.account.split(" ")[0]
        lines = EntryLine.objects.filter(entry=OuterRef("pk"), account__code__startswith=account)
        entries = entries.filter(Exists(lines))
    if filters.third_party:
        matching = third_party_search(query=filters.third_party).values("pk")
        entries = entries.filter(
            Exists(EntryLine.objects.filter(entry=OuterRef("pk"), third_party__in=matching))
        )
    return entries.order_by("-date", "-id")


def entry_with_lines(entry_id: int) -> tuple[Entry, list[EntryLine]]:
    entry = Entry.objects.select_related("voucher_type", "reversal_of__voucher_type").get(pk=entry_id)
    lines = list(entry.lines.select_related("account", "third_party", "cost_center").order_by("line_no"))
    return entry, lines


def entry_reversal(entry: Entry) -> Entry | None:
    return entry.reversals.filter(status=Entry.Status.POSTED).select_related("voucher_type").first()
