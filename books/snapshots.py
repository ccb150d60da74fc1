"""The books' part of the portfolio board (firms.services.snapshots): figures read from the balance
tables, the lock date and the last comprobante of each company, one query per company in its own schema."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from firms.models import Company

from .models import ZERO

# PUC groups on the board, and the side their balance is shown on (1 debit, -1 credit).
GROUPS = {"11": ("banks", 1), "13": ("receivables", 1), "22": ("payables", -1), "24": ("taxes_payable", -1)}
# Groups whose accounts are checked against their nature without a figure of their own: inventory.
CHECKED_ONLY = ("14",)
AGAINST_NATURE_SHOWN = 5
NEGATIVE_RECEIVABLES_LENGTH = 300  # CompanySnapshot.negative_receivables

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
     WHERE left(b.account_id, 2) IN ('11', '13', '14', '22', '24')
     GROUP BY 1, 2
), cartera AS (
    -- The receivables of each tercero: debit-nature accounts of 13 (the range uses the balance key index).
    SELECT b.third_party_id, sum(b.debit - b.credit) AS net
      FROM books_balance b JOIN books_account a ON a.code = b.account_id
     WHERE b.account_id >= '13' AND b.account_id < '14' AND a.nature = 'D' AND b.third_party_id IS NOT NULL
     GROUP BY 1
    HAVING sum(b.debit - b.credit) < 0
)
SELECT (SELECT date FROM last), (SELECT posted_by_name FROM last), (SELECT label FROM last),
       (SELECT n FROM drafts), (SELECT oldest FROM drafts),
       (SELECT lock_date FROM books_bookssettings LIMIT 1),
       (SELECT coalesce(json_agg(json_build_array(account_id, nature, net::text)), '[]'::json)
          FROM grouped WHERE net <> 0),
       (SELECT count(*) FROM cartera),
       (SELECT coalesce(json_agg(name ORDER BY net, name), '[]'::json) FROM (
           SELECT c.net,
                  coalesce(nullif(t.business_name, ''), trim(t.first_names || ' ' || t.last_names)) AS name
             FROM cartera c JOIN books_thirdparty t ON t.id = c.third_party_id
            ORDER BY c.net, name LIMIT %s) shown)
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
        cursor.execute(FIGURES_SQL, [AGAINST_NATURE_SHOWN])
        row = cursor.fetchone()
        last_date, last_by, last_label, drafts, oldest_draft, lock_date, balances = row[:7]
        negative_count, negative = row[7:]
        # The year of the latest comprobante: in January the accountant is still finishing the year before.
        year = min(last_date.year if last_date else timezone.localdate().year, timezone.localdate().year)
        cursor.execute(RESULT_SQL, [date(year, 1, 1), date(year, 12, 1), date(year, 12, 31)])
        moved, closing = cursor.fetchone()
    figures = dict.fromkeys(("banks", "receivables", "payables", "taxes_payable"), ZERO)
    against = []
    for code, nature, net in balances if isinstance(balances, list) else []:
        net = Decimal(net)
        if code[:2] not in CHECKED_ONLY:
            field, side = GROUPS[code[:2]]
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
        "negative_receivables": _names(negative if isinstance(negative, list) else []),
        "negative_receivables_count": negative_count,
    }


def _names(names: list[str]) -> str:
    """The terceros' names, as many as fit the snapshot's column."""
    shown = ""
    for name in names:
        joined = f"{shown}, {name}" if shown else name
        if len(joined) > NEGATIVE_RECEIVABLES_LENGTH:
            return shown or name[: NEGATIVE_RECEIVABLES_LENGTH - 1] + "…"
        shown = joined
    return shown


def books_snapshot_contributor(companies: list[Company]) -> dict[int, dict]:
    """Registered with firms.services.snapshots: the figures of every company whose books exist."""
    result = {}
    for company in companies:
        if company.provisioning_status != Company.Provisioning.READY:
            continue
        with schema_context(company.schema_name):
            result[company.pk] = company_figures()
    return result
