"""The ledgers: libro auxiliar (lines with their running balance), libro diario (comprobantes in date order,
or per day and type) and libro mayor y balances (each account, month by month)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Prefetch, Sum

from ..models import ZERO, Account, Entry, EntryLine, voucher_type_name
from .trial_balance import POSTED_LINES, Scope, month_end, month_start, movements_sql

AUXILIARY_PAGE = 100


@dataclass(frozen=True)
class AuxiliaryLine:
    day: date
    entry_id: int
    voucher: str
    number: int
    account: str
    nit: str
    third_party: str
    cost_center: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class Auxiliary:
    opening: Decimal
    debit: Decimal
    credit: Decimal
    count: int
    lines: list[AuxiliaryLine]

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def scope_totals(start: date, end: date, scope: Scope) -> tuple[Decimal, Decimal, Decimal]:
    movements, params = movements_sql(start=start, end=end, scope=scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sum(o), sum(d), sum(c) FROM ({movements}) AS m(a, t, cc, o, d, c)", params)  # noqa: S608
        opening, debit, credit = cursor.fetchone()
    return opening or ZERO, debit or ZERO, credit or ZERO


LINES_SQL = """
    SELECT l.date, l.entry_id, vt.code, e.number, l.account_id, coalesce(t.number, ''),
           coalesce(nullif(t.business_name, ''), trim(t.first_names || ' ' || t.last_names), ''),
           coalesce(cc.code, ''), coalesce(nullif(l.description, ''), e.description), l.debit, l.credit,
           %s + sum(l.debit - l.credit) OVER (ORDER BY l.date, l.entry_id, l.line_no ROWS UNBOUNDED PRECEDING)
      FROM {lines}
      JOIN books_vouchertype vt ON vt.id = e.voucher_type_id
      LEFT JOIN books_thirdparty t ON t.id = l.third_party_id
      LEFT JOIN books_costcenter cc ON cc.id = l.cost_center_id
     WHERE l.date BETWEEN %s AND %s{where}
     ORDER BY l.date, l.entry_id, l.line_no
"""


def auxiliary_lines(
    *, start: date, end: date, scope: Scope, opening: Decimal, offset: int = 0, limit: int | None = None
):
    """The posted lines of the scope in [start, end] in date order, each with the balance after it."""
    where, params = scope.where("l")
    sql = LINES_SQL.format(lines=POSTED_LINES, where=where)
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [opening, start, end, *params])
        for row in cursor:
            yield AuxiliaryLine(*row)


def auxiliary(
    *, start: date, end: date, scope: Scope, page: int = 1, page_size: int = AUXILIARY_PAGE
) -> Auxiliary:
    """Libro auxiliar of an account (and everything under it), a tercero, both, or a cost center: the opening
    balance before `start`, one page of lines with their running balance, and the period's totals."""
    opening, debit, credit = scope_totals(start, end, scope)
    where, params = scope.where("l")
    if scope.third_party or scope.cost_center:
        count_sql = f"SELECT count(*) FROM {POSTED_LINES} WHERE l.date BETWEEN %s AND %s{where}"  # noqa: S608
    else:  # an account range: its lines are counted per day as they are posted
        count_sql = (
            "SELECT coalesce(sum(l.lines), 0) FROM books_accountdaybalance l "  # noqa: S608
            f"WHERE l.day BETWEEN %s AND %s{where}"
        )
    with connection.cursor() as cursor:
        cursor.execute(count_sql, [start, end, *params])
        (count,) = cursor.fetchone()
    lines = list(
        auxiliary_lines(
            start=start, end=end, scope=scope, opening=opening, offset=(page - 1) * page_size, limit=page_size
        )
    )
    return Auxiliary(opening=opening, debit=debit, credit=credit, count=count, lines=lines)


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
