"""The nightly check: the balances kept on posting (per account × tercero × cost center × month, per
account × month, per account × day) must equal the sums of the posted lines."""

import logging

from django.db import connection, transaction

from ..models import BalanceCheck

logger = logging.getLogger(__name__)

# Per account × tercero × cost center × month: the kept balance and the lines' sums, where they differ.
DIFFERENCES_SQL = """
WITH lines AS (
    SELECT l.account_id, l.third_party_id, l.cost_center_id, date_trunc('month', l.date)::date AS period,
           sum(l.debit) AS debit, sum(l.credit) AS credit
      FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id
     WHERE e.status = 'posted'
     GROUP BY 1, 2, 3, 4
)
SELECT coalesce(b.account_id, l.account_id), coalesce(b.third_party_id, l.third_party_id),
       coalesce(b.cost_center_id, l.cost_center_id), coalesce(b.period, l.period),
       coalesce(b.debit, 0), coalesce(b.credit, 0), coalesce(l.debit, 0), coalesce(l.credit, 0)
  FROM books_balance b
  FULL JOIN lines l ON l.account_id = b.account_id AND l.period = b.period
       AND l.third_party_id IS NOT DISTINCT FROM b.third_party_id
       AND l.cost_center_id IS NOT DISTINCT FROM b.cost_center_id
 WHERE coalesce(b.debit, 0) <> coalesce(l.debit, 0) OR coalesce(b.credit, 0) <> coalesce(l.credit, 0)
 ORDER BY 1, 2, 3, 4
"""

# Per account × month: the small table the trial balance reads, against the posted lines.
ACCOUNT_DIFFERENCES_SQL = """
WITH lines AS (
    SELECT l.account_id, date_trunc('month', l.date)::date AS period,
           sum(l.debit) AS debit, sum(l.credit) AS credit
      FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id
     WHERE e.status = 'posted'
     GROUP BY 1, 2
)
SELECT coalesce(b.account_id, l.account_id), NULL, NULL, coalesce(b.period, l.period),
       coalesce(b.debit, 0), coalesce(b.credit, 0), coalesce(l.debit, 0), coalesce(l.credit, 0)
  FROM books_accountbalance b
  FULL JOIN lines l ON l.account_id = b.account_id AND l.period = b.period
 WHERE coalesce(b.debit, 0) <> coalesce(l.debit, 0) OR coalesce(b.credit, 0) <> coalesce(l.credit, 0)
 ORDER BY 1, 4
"""

# Per account × day (with the number of lines): the table the trial balance reads for the days a period's
# edges cut, and the libro auxiliar counts lines in.
ACCOUNT_DAY_DIFFERENCES_SQL = """
WITH lines AS (
    SELECT l.account_id, l.date AS day, sum(l.debit) AS debit, sum(l.credit) AS credit, count(*) AS lines
      FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id
     WHERE e.status = 'posted'
     GROUP BY 1, 2
)
SELECT coalesce(b.account_id, l.account_id), NULL, NULL, coalesce(b.day, l.day),
       coalesce(b.debit, 0), coalesce(b.credit, 0), coalesce(l.debit, 0), coalesce(l.credit, 0),
       coalesce(b.lines, 0), coalesce(l.lines, 0)
  FROM books_accountdaybalance b
  FULL JOIN lines l ON l.account_id = b.account_id AND l.day = b.day
 WHERE coalesce(b.debit, 0) <> coalesce(l.debit, 0) OR coalesce(b.credit, 0) <> coalesce(l.credit, 0)
    OR coalesce(b.lines, 0) <> coalesce(l.lines, 0)
 ORDER BY 1, 4
"""

REBUILD_SQL = """
DELETE FROM books_accountdaybalance;
DELETE FROM books_accountbalance;
DELETE FROM books_balance;
INSERT INTO books_balance (account_id, third_party_id, cost_center_id, period, debit, credit)
SELECT l.account_id, l.third_party_id, l.cost_center_id, date_trunc('month', l.date)::date,
       sum(l.debit), sum(l.credit)
  FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id
 WHERE e.status = 'posted'
 GROUP BY 1, 2, 3, 4;
INSERT INTO books_accountbalance (account_id, period, debit, credit)
SELECT account_id, period, sum(debit), sum(credit) FROM books_balance GROUP BY 1, 2;
INSERT INTO books_accountdaybalance (day, account_id, debit, credit, lines)
SELECT l.date, l.account_id, sum(l.debit), sum(l.credit), count(*)
  FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id
 WHERE e.status = 'posted'
 GROUP BY 1, 2;
"""


def balances_check(*, repair: bool = True) -> BalanceCheck:
    """Compare the kept balances with the posted lines of the current company schema; record the
    differences (there must never be any) and, with `repair`, rebuild the balances from the lines."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE books_balance, books_accountbalance, books_accountdaybalance "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
            rows = []
            for sql, table in (
                (DIFFERENCES_SQL, "balance"),
                (ACCOUNT_DIFFERENCES_SQL, "account_balance"),
                (ACCOUNT_DAY_DIFFERENCES_SQL, "account_day_balance"),
            ):
                cursor.execute(sql)
                rows += [(table, *row) for row in cursor.fetchall()]
            differences = [_difference(table, *row) for table, *row in rows]
            if differences and repair:
                cursor.execute(REBUILD_SQL)
        if differences:
            logger.error(
                "Balances of %s differ from the lines in %d places: %s",
                connection.schema_name,
                len(differences),
                differences[:20],
            )
        return BalanceCheck.objects.create(differences=differences)


def _difference(
    table, account, third_party, cost_center, period, kept_debit, kept_credit, debit, credit, *counts
) -> dict:
    """One place where a kept balance differs from the lines: debit, credit (and, per day, the number of
    lines) as kept and as the lines add up."""
    kept, found = [kept_debit, kept_credit], [debit, credit]
    if counts:
        kept.append(counts[0])
        found.append(counts[1])
    return {
        "table": table,
        "account": account,
        "third_party": third_party,
        "cost_center": cost_center,
        "period": period.isoformat(),
        "kept": [str(value) for value in kept],
        "lines": [str(value) for value in found],
    }
