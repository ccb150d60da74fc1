"""The trial balance (balance de prueba). It reads the monthly balances for whole months and the daily ones
(or, by tercero or cost center, the posted lines) only for the days of a month cut by the period's edges,
so it stays fast at a million lines."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from ..models import ZERO

LEVEL_LENGTHS = {"clase": 1, "grupo": 2, "cuenta": 4, "subcuenta": 6, "auxiliar": 8}
ACCOUNT_BALANCES = (
    "(SELECT account_id, NULL::bigint AS third_party_id, NULL::bigint AS cost_center_id, period, debit, "
    "credit FROM books_accountbalance) AS b"
)
POSTED_LINES = "books_entryline l JOIN books_entry e ON e.id = l.entry_id AND e.status = 'posted'"
# The account × day balances, shaped like the posted lines for the days a period's edges cut.
ACCOUNT_DAYS = (
    "(SELECT account_id, NULL::bigint AS third_party_id, NULL::bigint AS cost_center_id, day AS date, debit, "
    "credit FROM books_accountdaybalance) AS l"
)
# A code and every code under it: "1105" up to "1105999…" (codes are digits).
CODE_CEILING = "99999999999999999999"


@dataclass(frozen=True)
class Scope:
    """Which movements a report counts: an account range (codes and everything under them), a tercero, a
    cost center. Empty means all."""

    account_from: str = ""
    account_to: str = ""
    third_party: int | None = None
    cost_center: int | None = None

    def account_range(self, column: str) -> tuple[list[str], list]:
        clauses, params = [], []
        if self.account_from:
            clauses.append(f"{column} >= %s")
            params.append(self.account_from)
        if self.account_to:
            clauses.append(f"{column} <= %s")
            params.append(self.account_to + CODE_CEILING)
        return clauses, params

    def where(self, alias: str = "") -> tuple[str, list]:
        """ " AND …" clauses for a table of movements (balances or lines), with their parameters."""
        prefix = f"{alias}." if alias else ""
        clauses, params = self.account_range(f"{prefix}account_id")
        if self.third_party:
            clauses.append(f"{prefix}third_party_id = %s")
            params.append(self.third_party)
        if self.cost_center:
            clauses.append(f"{prefix}cost_center_id = %s")
            params.append(self.cost_center)
        return "".join(f" AND {clause}" for clause in clauses), params


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    nit: str  # the tercero's number without check digit ("" without tercero, or when not by tercero)
    third_party_name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    third_party_id: int | None = None
    check_digit: str = ""  # the tercero's, in a column of its own in the files

    @property
    def sort_key(self) -> tuple:
        """Account, then tercero (by number, then id): the order of the rows and of the auxiliary's groups."""
        return (self.code, self.nit, self.third_party_id or 0)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last month entirely inside [start, end], or None."""
    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = month_start(end) if end == month_end(end) else month_start(end) - timedelta(days=1)
    last = month_start(last)
    return (first, last) if first <= last else None


def movements_sql(
    *, start: date, end: date, scope: Scope = Scope(), by_third_party: bool = False
) -> tuple[str, list]:
    """A query of (account_id, third_party_id, cost_center_id, opening, debit, credit) rows whose sums are the
    opening balance before `start` and the movements of [start, end]: monthly balances for whole months,
    posted lines for the days of the months the period's edges cut. Unless a tercero or a cost center
    matters, the balances per account × month and per account × day serve instead; if one does, the
    balances per account × tercero × cost center × month and the lines."""
    balances, balance_params = scope.where()
    lines, line_params = scope.where("l")
    if by_third_party or scope.third_party or scope.cost_center:
        table, days = "books_balance", POSTED_LINES
    else:
        table, days = ACCOUNT_BALANCES, ACCOUNT_DAYS
    parts = [
        (
            f"SELECT account_id, third_party_id, cost_center_id, debit - credit, 0, 0 FROM {table} "  # noqa: S608
            f"WHERE period < %s{balances}",
            [month_start(start), *balance_params],
        ),
        (
            "SELECT l.account_id, l.third_party_id, l.cost_center_id, l.debit - l.credit, 0, 0 "  # noqa: S608
            f"FROM {days} WHERE l.date >= %s AND l.date < %s{lines}",
            [month_start(start), start, *line_params],
        ),
    ]
    months = _whole_months(start, end)
    if months:
        parts.append(
            (
                f"SELECT account_id, third_party_id, cost_center_id, 0, debit, credit FROM {table} "  # noqa: S608
                f"WHERE period BETWEEN %s AND %s{balances}",
                [*months, *balance_params],
            )
        )
        edges = [(start, months[0] - timedelta(days=1)), (month_end(months[1]) + timedelta(days=1), end)]
    else:
        edges = [(start, end)]
    for first, last in edges:
        if first <= last:
            parts.append(
                (
                    "SELECT l.account_id, l.third_party_id, l.cost_center_id, 0, l.debit, l.credit "  # noqa: S608
                    f"FROM {days} WHERE l.date BETWEEN %s AND %s{lines}",
                    [first, last, *line_params],
                )
            )
    sql = " UNION ALL ".join(part for part, _params in parts)
    return sql, [value for _part, params in parts for value in params]


def trial_balance(
    *,
    start: date,
    end: date,
    level: str | None = None,
    by_third_party: bool = False,
    scope: Scope = Scope(),
    include_zero: bool = False,
) -> list[TrialBalanceRow]:
    """Saldo anterior, débitos, créditos per account (and tercero), debit-positive.

    Without a level, rows are the movement accounts; with one, the accounts of that level plus the movement
    accounts shallower than it, so the totals always balance. Rows whose figures are all zero are left out,
    unless `include_zero` asks for every such account of the chart in the scope.
    """
    movements, params = movements_sql(start=start, end=end, scope=scope, by_third_party=by_third_party)
    key = "m.account_id" if level is None else f"left(m.account_id, {LEVEL_LENGTHS[level]})"
    third_party = "m.third_party_id" if by_third_party else "NULL::bigint"
    sql = f"""
        SELECT {key} AS code, a.name, coalesce(t.number, ''),
               coalesce(nullif(t.business_name, ''), trim(t.first_names || ' ' || t.last_names), ''),
               sum(m.opening), sum(m.debit), sum(m.credit), t.id, coalesce(t.check_digit, '')
          FROM ({movements}) AS m(account_id, third_party_id, cost_center_id, opening, debit, credit)
          JOIN books_account a ON a.code = {key}
          LEFT JOIN books_thirdparty t ON t.id = {third_party}
         GROUP BY 1, 2, 3, 4, 8, 9
        HAVING sum(m.opening) <> 0 OR sum(m.debit) <> 0 OR sum(m.credit) <> 0
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(
            (
                TrialBalanceRow(
                    code, name, nit, tp_name, opening or ZERO, debit or ZERO, credit or ZERO, tp_id, digit
                )
                for code, name, nit, tp_name, opening, debit, credit, tp_id, digit in cursor
            ),
            key=lambda row: row.sort_key,
        )
    if include_zero and not by_third_party:
        rows = _with_zero_accounts(rows, level=level, scope=scope)
    return rows


def _with_zero_accounts(
    rows: list[TrialBalanceRow], *, level: str | None, scope: Scope
) -> list[TrialBalanceRow]:
    """Every account of the level (or movement account) in the scope, zero where nothing moved."""
    clauses, params = scope.account_range("a.code")
    where = "".join(f" AND {clause}" for clause in clauses)
    if level is None:
        shape = "NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = a.code)"
    else:
        length = LEVEL_LENGTHS[level]
        shape = (
            f"(length(a.code) = {length} OR (length(a.code) < {length} AND NOT EXISTS "  # noqa: S608
            "(SELECT 1 FROM books_account c WHERE c.parent_id = a.code)))"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.code, a.name FROM books_account a WHERE {shape}{where}", params)  # noqa: S608
        present = {row.code for row in rows}
        zeros = [
            TrialBalanceRow(code, name, "", "", ZERO, ZERO, ZERO)
            for code, name in cursor
            if code not in present
        ]
    return sorted(rows + zeros, key=lambda row: row.sort_key)
