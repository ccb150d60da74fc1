"""The ledgers: libro auxiliar (lines with their running balance), libro diario (comprobantes in date order,
or per day and type) and libro mayor y balances (each account, month by month)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Prefetch, Sum

from core.lists import SafePaginator

from ..models import ZERO, Account, Entry, EntryLine, voucher_type_name
from .trial_balance import POSTED_LINES, Scope, month_end, month_start, trial_balance

AUXILIARY_PAGE = 100  # lines per page on screen (the print view and the files have every line)


@dataclass(frozen=True)
class AuxiliaryLine:
    day: date
    entry_id: int
    voucher: str
    number: int
    account: str
    third_party_id: int | None
    nit: str
    check_digit: str
    third_party: str
    cost_center: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # the group's balance after this line


@dataclass
class AuxiliaryGroup:
    """The lines of one account (and, by tercero, of one tercero in it): its own opening balance, lines with
    their running balance, subtotals and closing balance. `start` is the position of its first line among
    all the lines of the report, `count` how many it has in the period."""

    account: str
    account_name: str
    third_party_id: int | None
    nit: str
    check_digit: str
    third_party: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    count: int = 0
    start: int = 0
    key: tuple = ()  # what its lines share: (account,) or, by tercero, (account, tercero id or 0)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class AuxiliaryItem:
    """One row of the libro auxiliar as shown: a group's heading (with the balance it opens with on this page:
    its opening balance, or the balance carried from the page before), a line, or a group's subtotals."""

    kind: str  # group, line, subtotal
    group: AuxiliaryGroup
    line: AuxiliaryLine | None = None
    balance: Decimal = ZERO
    continued: bool = False


@dataclass
class Auxiliary:
    groups: list[AuxiliaryGroup]
    by_third_party: bool
    count: int
    items: list[AuxiliaryItem] = field(default_factory=list)  # the requested page's rows
    page: object = None  # the page (core.lists.SafePaginator) over the lines

    @property
    def opening(self) -> Decimal:
        return sum((group.opening for group in self.groups), ZERO)

    @property
    def debit(self) -> Decimal:
        return sum((group.debit for group in self.groups), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((group.credit for group in self.groups), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def several(self) -> bool:
        return len(self.groups) > 1


def _group_key(account: str, third_party_id: int | None, by_third_party: bool) -> tuple:
    return (account, third_party_id or 0) if by_third_party else (account,)


LINES_SQL = """
    SELECT l.date, l.entry_id, vt.code, e.number, l.account_id, l.third_party_id, coalesce(t.number, ''),
           coalesce(t.check_digit, ''),
           coalesce(nullif(t.business_name, ''), trim(t.first_names || ' ' || t.last_names), ''),
           coalesce(cc.code, ''), coalesce(nullif(l.description, ''), e.description), l.debit, l.credit,
           sum(l.debit - l.credit) OVER (PARTITION BY {partition} ORDER BY l.date, l.entry_id, l.line_no
                                         ROWS UNBOUNDED PRECEDING)
      FROM {lines}
      JOIN books_vouchertype vt ON vt.id = e.voucher_type_id
      LEFT JOIN books_thirdparty t ON t.id = l.third_party_id
      LEFT JOIN books_costcenter cc ON cc.id = l.cost_center_id
     WHERE l.date BETWEEN %s AND %s{where}
     ORDER BY {order}, l.date, l.entry_id, l.line_no
"""


def auxiliary_lines(
    *,
    start: date,
    end: date,
    scope: Scope,
    groups: list[AuxiliaryGroup],
    by_third_party: bool = False,
    offset: int = 0,
    limit: int | None = None,
):
    """The posted lines of the scope in [start, end], group after group (account, then tercero by number when
    `by_third_party`) and in date order within each, with the group's balance after each line. Without a
    limit the lines come from a server-side cursor, a few hundred at a time, whatever their number."""
    where, params = scope.where("l")
    if by_third_party:
        partition = "l.account_id, l.third_party_id"
        order = "l.account_id, coalesce(t.number, '') COLLATE \"C\", coalesce(l.third_party_id, 0)"
    else:
        partition = order = "l.account_id"
    sql = LINES_SQL.format(lines=POSTED_LINES, where=where, partition=partition, order=order)
    openings = {group.key: group.opening for group in groups}
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        cursor_factory = connection.cursor
    else:
        cursor_factory = connection.chunked_cursor
    with cursor_factory() as cursor:
        cursor.execute(sql, [start, end, *params])
        for row in cursor:
            *fields, running = row
            account, third_party_id = fields[4], fields[5]
            opening = openings.get(_group_key(account, third_party_id, by_third_party), ZERO)
            yield AuxiliaryLine(*fields, opening + running)


def auxiliary_groups(
    *, start: date, end: date, scope: Scope, by_third_party: bool = False
) -> tuple[list[AuxiliaryGroup], int]:
    """The groups of the libro auxiliar (every movement account of the scope with a balance or a movement,
    and, by tercero, every tercero in it) with their figures and where their lines start; and the number of
    lines."""
    rows = trial_balance(start=start, end=end, by_third_party=by_third_party, scope=scope)
    groups = [
        AuxiliaryGroup(
            account=row.code,
            account_name=row.name,
            third_party_id=row.third_party_id if by_third_party else None,
            nit=row.nit,
            check_digit=row.check_digit,
            third_party=row.third_party_name,
            opening=row.opening,
            debit=row.debit,
            credit=row.credit,
            key=_group_key(row.code, row.third_party_id, by_third_party),
        )
        for row in rows
    ]
    where, params = scope.where("l")
    if by_third_party or scope.third_party or scope.cost_center:
        keys = "l.account_id, l.third_party_id" if by_third_party else "l.account_id, NULL::bigint"
        count_sql = (
            f"SELECT {keys}, count(*) FROM {POSTED_LINES} "  # noqa: S608
            f"WHERE l.date BETWEEN %s AND %s{where} GROUP BY 1, 2"
        )
    else:  # an account range: its lines are counted per day as they are posted
        count_sql = (
            "SELECT l.account_id, NULL::bigint, sum(l.lines) FROM books_accountdaybalance l "  # noqa: S608
            f"WHERE l.day BETWEEN %s AND %s{where} GROUP BY 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(count_sql, [start, end, *params])
        counts = {
            _group_key(account, third_party_id, by_third_party): count
            for account, third_party_id, count in cursor
        }
    position = 0
    for group in groups:
        group.count = int(counts.get(group.key, 0))
        group.start = position
        position += group.count
    return groups, position


def auxiliary_items(groups: list[AuxiliaryGroup], lines, *, first: int = 0, last: int | None = None):
    """The rows of the libro auxiliar for the lines at positions [first, last) (every line by default):
    each group that has lines there (or, without lines, whose place is there) with its heading, its lines
    and, where it ends, its subtotals. `lines` are those positions' lines, in order."""
    total = sum(group.count for group in groups)
    last = total if last is None else last
    lines = iter(lines)
    pending = next(lines, None)
    for group in groups:
        end = group.start + group.count
        if group.count == 0:
            if first <= group.start < last or (group.start >= total and last >= total):
                yield AuxiliaryItem("group", group, balance=group.opening)
                yield AuxiliaryItem("subtotal", group, balance=group.closing)
            continue
        if end <= first or group.start >= last:
            continue
        continued = group.start < first
        carried = group.opening
        if continued and pending is not None:
            carried = pending.balance - pending.debit + pending.credit
        yield AuxiliaryItem("group", group, balance=carried, continued=continued)
        by_third_party = len(group.key) == 2
        while pending and _group_key(pending.account, pending.third_party_id, by_third_party) == group.key:
            yield AuxiliaryItem("line", group, line=pending, balance=pending.balance)
            pending = next(lines, None)
        if end <= last:
            yield AuxiliaryItem("subtotal", group, balance=group.closing)


def auxiliary(
    *,
    start: date,
    end: date,
    scope: Scope,
    by_third_party: bool = False,
    page=1,
    page_size: int = AUXILIARY_PAGE,
) -> Auxiliary:
    """Libro auxiliar of an account (and everything under it), a tercero, both, or a cost center: per account
    (and per tercero in it when asked), the opening balance before `start`, the lines with their running
    balance and the closing balance; and one page of those rows (`page`: any ?page= value)."""
    groups, count = auxiliary_groups(start=start, end=end, scope=scope, by_third_party=by_third_party)
    page = SafePaginator(range(count), page_size).get_page(page)
    first = (page.number - 1) * page_size
    lines = auxiliary_lines(
        start=start,
        end=end,
        scope=scope,
        groups=groups,
        by_third_party=by_third_party,
        offset=first,
        limit=page_size,
    )
    items = list(auxiliary_items(groups, list(lines), first=first, last=first + page_size))
    return Auxiliary(groups=groups, by_third_party=by_third_party, count=count, items=items, page=page)


# Libro diario --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayTotal:
    day: date
    voucher: str
    voucher_name: str
    entries: int
    debit: Decimal
    credit: Decimal


def journal_entries(*, start: date, end: date):
    """The posted comprobantes of [start, end] in date order, with their lines (a queryset to paginate)."""
    lines = EntryLine.objects.select_related("account", "third_party", "cost_center").order_by("line_no")
    return (
        Entry.objects.filter(status=Entry.Status.POSTED, date__range=(start, end))
        .select_related("voucher_type")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("date", "voucher_type__code", "number", "id")
    )


def journal_by_day(*, start: date, end: date) -> list[DayTotal]:
    """Libro diario resumido: per day and voucher type, how many comprobantes, their debits and credits."""
    sql = f"""
        SELECT l.date, vt.code, vt.name, count(DISTINCT e.id), sum(l.debit), sum(l.credit)
          FROM {POSTED_LINES} JOIN books_vouchertype vt ON vt.id = e.voucher_type_id
         WHERE l.date BETWEEN %s AND %s
         GROUP BY 1, 2, 3 ORDER BY 1, 2
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return [
            DayTotal(day, code, voucher_type_name(code, name), *rest) for day, code, name, *rest in cursor
        ]


def journal_totals_by_type(*, start: date, end: date) -> list[dict]:
    """Per voucher type, how many comprobantes and their total (debits = credits) in the period."""
    totals = list(
        Entry.objects.filter(status=Entry.Status.POSTED, date__range=(start, end))
        .values("voucher_type__code", "voucher_type__name")
        .annotate(entries=Count("id"), total=Sum("total"))
        .order_by("voucher_type__code")
    )
    for row in totals:
        row["voucher_type__name"] = voucher_type_name(row["voucher_type__code"], row["voucher_type__name"])
    return totals


# Libro mayor y balances --------------------------------------------------------------------------


@dataclass
class LedgerMonth:
    month: date
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass
class LedgerAccount:
    code: str
    name: str
    months: list[LedgerMonth] = field(default_factory=list)


def months_between(start: date, end: date) -> list[date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def general_ledger(*, start: date, end: date) -> list[LedgerAccount]:
    """Libro mayor y balances: each account at cuenta level (4 digits), with its opening balance, debits,
    credits and closing balance for every month from `start`'s month to `end`'s, from the monthly balances."""
    months = months_between(start, end)
    first = months[0]
    sql = """
        SELECT left(b.account_id, 4), b.period < %s, CASE WHEN b.period < %s THEN NULL ELSE b.period END,
               sum(b.debit), sum(b.credit)
          FROM books_balance b
         WHERE b.period <= %s
         GROUP BY 1, 2, 3
    """
    opening: dict[str, Decimal] = {}
    moved: dict[tuple[str, date], tuple[Decimal, Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, first, months[-1]])
        for code, before, period, debit, credit in cursor:
            if before:
                opening[code] = opening.get(code, ZERO) + debit - credit
            else:
                moved[(code, period)] = (debit, credit)
    codes = sorted(set(opening) | {code for code, _period in moved})
    names = dict(Account.objects.filter(code__in=codes).values_list("code", "name"))
    result = []
    for code in codes:
        balance = opening.get(code, ZERO)
        account = LedgerAccount(code=code, name=names.get(code, ""))
        for month in months:
            debit, credit = moved.get((code, month), (ZERO, ZERO))
            account.months.append(LedgerMonth(month, balance, debit, credit))
            balance = balance + debit - credit
        if any(m.opening or m.debit or m.credit for m in account.months):
            result.append(account)
    return result
