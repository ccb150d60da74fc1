"""Reports of the ledger. The trial balance reads the monthly balances for whole months and the posted lines
only for the days of a month cut by the period's edges, so it stays fast at a million lines."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from .models import ZERO

LEVEL_LENGTHS = {"clase": 1, "grupo": 2, "cuenta": 4, "subcuenta": 6, "auxiliar": 8}


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    nit: str  # the tercero's number without check digit ("" without tercero, or when not by tercero)
    third_party_name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last month entirely inside [start, end], or None."""
    first = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    last = _month_start(end) if end == _month_end(end) else _month_start(end) - timedelta(days=1)
    last = _month_start(last)
    return (first, last) if first <= last else None


POSTED_LINES = "books_entryline l JOIN books_entry e ON e.id = l.entry_id AND e.status = 'posted'"


def trial_balance(
    *, start: date, end: date, level: str | None = None, by_third_party: bool = False
) -> list[TrialBalanceRow]:
    """Saldo anterior, débitos, créditos per account (and tercero), debit-positive.

    Without a level, rows are the movement accounts; with one, the accounts of that level plus the movement
    accounts shallower than it, so the totals always balance. Rows whose figures are all zero are left out.
    """
    months = _whole_months(start, end)
    parts = [
        # Opening: whole months before the start's month, then the days of that month before the start.
        (
            "SELECT account_id, third_party_id, debit - credit, 0, 0 FROM books_balance WHERE period < %s",
            [_month_start(start)],
        ),
        (
            f"SELECT l.account_id, l.third_party_id, l.debit - l.credit, 0, 0 FROM {POSTED_LINES} "  # noqa: S608
            "WHERE l.date >= %s AND l.date < %s",
            [_month_start(start), start],
        ),
    ]
    if months:
        parts.append(
            (
                "SELECT account_id, third_party_id, 0, debit, credit FROM books_balance "
                "WHERE period BETWEEN %s AND %s",
                list(months),
            )
        )
        edges = [(start, months[0] - timedelta(days=1)), (_month_end(months[1]) + timedelta(days=1), end)]
    else:
        edges = [(start, end)]
    for first, last in edges:
        if first <= last:
            parts.append(
                (
                    f"SELECT l.account_id, l.third_party_id, 0, l.debit, l.credit FROM {POSTED_LINES} "  # noqa: S608
                    "WHERE l.date BETWEEN %s AND %s",
                    [first, last],
                )
            )
    key = "m.account_id" if level is None else f"left(m.account_id, {LEVEL_LENGTHS[level]})"
    third_party = "m.third_party_id" if by_third_party else "NULL::bigint"
    sql = f"""
        SELECT {key} AS code, a.name, coalesce(t.number, ''),
               coalesce(nullif(t.business_name, ''), trim(t.first_names || ' ' || t.last_names), ''),
               sum(m.opening), sum(m.debit), sum(m.credit)
          FROM ({" UNION ALL ".join(part for part, _params in parts)})
               AS m(account_id, third_party_id, opening, debit, credit)
          JOIN books_account a ON a.code = {key}
          LEFT JOIN books_thirdparty t ON t.id = {third_party}
         GROUP BY 1, 2, 3, 4
        HAVING sum(m.opening) <> 0 OR sum(m.debit) <> 0 OR sum(m.credit) <> 0
         ORDER BY 1, 3
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _part, params in parts for value in params])
        return [
            TrialBalanceRow(code, name, nit, third_party_name, opening or ZERO, debit or ZERO, credit or ZERO)
            for code, name, nit, third_party_name, opening, debit, credit in cursor
        ]
