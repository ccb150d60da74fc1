"""The books' part of the portfolio board (firms.snapshots): figures read from the balance tables, the lock
date and the last comprobante of each company, one query per company in its own schema."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from firms.models import Company

from .models import ZERO

# PUC groups on the board, and the side their balance is shown on (1 debit, -1 credit).
GROUPS = {"11": ("banks", 1), "13": ("receivables", 1), "22": ("payables", -1), "24": ("taxes_payable", -1)}
AGAINST_NATURE_SHOWN = 5

FIGURES_SQL = """
WITH last AS (
    SELECT e.date, e.posted_by_name, v.code || '-' || e.number AS label
      FROM books_entry e JOIN books_vouchertype v ON v.id = e.voucher_type_id
     WHERE e.status = 'posted' ORDER BY e.date DESC, e.id DESC LIMIT 1
), drafts AS (
    SELECT count(*) AS n, min(created_at) AS oldest FROM books_entry WHERE status = 'draft'
), grouped AS (
    SELECT b.account_id, a.nature, sum(b.debit - b.credit) AS net
      FROM books_accountbalance b JOIN books_account a ON a.code = b.account_id
     WHERE left(b.account_id, 2) IN ('11', '13', '22', '24')
     GROUP BY 1, 2
)
SELECT (SELECT date FROM last), (SELECT posted_by_name FROM last), (SELECT label FROM last),
       (SELECT n FROM drafts), (SELECT oldest FROM drafts),
       (SELECT lock_date FROM books_bookssettings LIMIT 1),
       (SELECT coalesce(json_agg(json_build_array(account_id, nature, net::text)), '[]'::json)
          FROM grouped WHERE net <> 0)
"""
# The result of year %s: what classes 4 to 7 moved, without the year-end closing that moved it to 36.
RESULT_SQL = """
SELECT coalesce((SELECT sum(debit - credit) FROM books_accountbalance
                  WHERE period >= %s AND period <= %s AND left(account_id, 1) IN ('4', '5', '6', '7')), 0),
       coalesce((SELECT sum(l.debit - l.credit) FROM books_entry e JOIN books_entryline l ON l.entry_id = e.id
                  WHERE e.status = 'posted' AND e.date = %s AND e.source = 'closing'
                    AND left(l.account_id, 1) IN ('4', '5', '6', '7')), 0)
"""


def company_figures() -> dict:
    """The snapshot fields of the company whose schema the connection is in."""
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL)
        last_date, last_by, last_label, drafts, oldest_draft, lock_date, balances = cursor.fetchone()
        # The year of the latest comprobante: in January the accountant is still finishing the year before.
        year = min(last_date.year if last_date else timezone.localdate().year, timezone.localdate().year)
        cursor.execute(RESULT_SQL, [date(year, 1, 1), date(year, 12, 1), date(year, 12, 31)])
        moved, closing = cursor.fetchone()
    figures = dict.fromkeys(("banks", "receivables", "payables", "taxes_payable"), ZERO)
    against = []
    for code, nature, net in balances if isinstance(balances, list) else []:
        field, side = GROUPS[code[:2]]
        net = Decimal(net)
        figures[field] += side * net
        if (nature == "D" and net < 0) or (nature == "C" and net > 0):
            against.append(code)
    against.sort()
    return {
        **figures,
        "last_entry_date": last_date,
        "last_entry_by": last_by or "",
        "last_entry_label": last_label or "",
        "drafts": drafts,
        "oldest_draft_at": oldest_draft,
        "locked_until": lock_date,
        "result": closing - moved,
        "result_year": year,
        "against_nature": ", ".join(against[:AGAINST_NATURE_SHOWN]),
        "against_nature_count": len(against),
    }


def books_snapshot_contributor(companies: list[Company]) -> dict[int, dict]:
    """Registered with firms.snapshots: the figures of every company whose books exist."""
    result = {}
    for company in companies:
        if company.provisioning_status != Company.Provisioning.READY:
            continue
        with schema_context(company.schema_name):
            result[company.pk] = company_figures()
    return result
