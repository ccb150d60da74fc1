"""Reports at a million lines (called by bench/run.py): one company with 1,000,000 posted lines over 12
months (about 2,000 terceros, 300 movement accounts, 5 cost centers), built in SQL with generate_series and
posted by the ledger's own triggers; then the same figures for 100,000 lines, to show how time grows.

Each comprobante has a tercero on two of its four lines, and each tercero keeps to two of 30 accounts
(receivables, payables, income), as clients and suppliers do; the other lines go to any of 300 accounts."""

import statistics
import time
from datetime import date
from itertools import islice

from django.db import connection, transaction
from django_tenants.utils import schema_context

from books.reports.exports import TableReport, report_xlsx
from books.reports.ledgers import auxiliary
from books.reports.tables import ReportParams, auxiliary_table
from books.reports.trial_balance import LEVEL_LENGTHS, Scope, trial_balance

from .books_bench import bench_company, drop

START, END = date(2025, 3, 15), date(2025, 11, 20)  # both edges cut a month
RUNS = 10

FILL = """
INSERT INTO books_thirdparty (person_type, document_type, number, check_digit, business_name, first_names,
    last_names, email, phone, address, city, is_active, search_text, created_at)
SELECT 'juridica', 'nit', (800000000 + n)::text, '', 'Tercero ' || n, '', '', '', '', '', '', true,
       'tercero ' || n || ' ' || (800000000 + n), now()
  FROM generate_series(1, %(terceros)s) AS n;
INSERT INTO books_costcenter (code, name, is_active)
SELECT 'CC' || n, 'Centro ' || n, true FROM generate_series(1, 5) AS n;
CREATE TEMP TABLE bench_accounts AS
SELECT row_number() OVER (ORDER BY code) AS n, code FROM books_account a
 WHERE code ~ '^[1-6]' AND NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = a.code)
 ORDER BY code LIMIT 300;
CREATE TEMP TABLE bench_tercero_accounts AS
SELECT row_number() OVER (ORDER BY code) AS n, code FROM books_account a
 WHERE code ~ '^(13|22|23|41)' AND NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = a.code)
 ORDER BY code LIMIT 30;
INSERT INTO books_entry (voucher_type_id, number, date, description, status, source, total, prepared_by_name,
    created_at, posted_by_name, annulled_by_name, annul_reason)
SELECT (SELECT id FROM books_vouchertype WHERE code = 'CC'), NULL, date '2025-01-01' + (e %% 365),
       'Bench ' || e, 'draft', 'import', 0, 'bench', now(), '', '', ''
  FROM generate_series(1, %(entries)s) AS e;
INSERT INTO books_entryline (entry_id, line_no, date, account_id, third_party_id, cost_center_id, description,
    debit, credit)
SELECT en.id, k, en.date,
       CASE k WHEN 1 THEN ta1.code WHEN 3 THEN ta3.code WHEN 2 THEN a2.code ELSE a4.code END,
       CASE WHEN k IN (1, 3) THEN (SELECT min(id) FROM books_thirdparty) + t.n END,
       CASE WHEN k = 2 THEN (SELECT min(id) FROM books_costcenter) + (en.id %% 5) END,
       '', CASE WHEN k <= 2 THEN amount.v ELSE 0 END,
       CASE WHEN k = 3 THEN 2 * amount.v - 1 WHEN k = 4 THEN 1 ELSE 0 END
  FROM books_entry en
  CROSS JOIN LATERAL (SELECT (en.id * 7919) %% %(terceros)s AS n) AS t  -- the comprobante's tercero
  CROSS JOIN LATERAL (SELECT ((en.id * 7919) %% 99991 + 100)::numeric(18, 2) AS v) AS amount
  JOIN bench_tercero_accounts ta1 ON ta1.n = 1 + (t.n %% 30)  -- each tercero keeps to two accounts
  JOIN bench_tercero_accounts ta3 ON ta3.n = 1 + ((t.n * 7 + 3) %% 30)
  JOIN bench_accounts a2 ON a2.n = 1 + ((en.id * 31) %% 300)
  JOIN bench_accounts a4 ON a4.n = 1 + ((en.id * 17) %% 300)
  CROSS JOIN generate_series(1, 4) AS k;
UPDATE books_entry SET status = 'posted', number = id, posted_at = now(), posted_by_name = 'bench';
DROP TABLE bench_accounts;
DROP TABLE bench_tercero_accounts;
"""

PLAIN_SUM = """
SELECT left(l.account_id, %(length)s),
       sum(CASE WHEN l.date < %(start)s THEN l.debit - l.credit ELSE 0 END),
       sum(CASE WHEN l.date >= %(start)s THEN l.debit ELSE 0 END),
       sum(CASE WHEN l.date >= %(start)s THEN l.credit ELSE 0 END)
  FROM books_entryline l JOIN books_entry e ON e.id = l.entry_id AND e.status = 'posted'
 WHERE l.date <= %(end)s
 GROUP BY 1
"""


def _p95(run) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(samples, n=20)[18] if len(samples) > 1 else samples[0]


def _plain(length: int):
    with connection.cursor() as cursor:
        cursor.execute(PLAIN_SUM, {"length": length, "start": START, "end": END})
        return cursor.fetchall()


def measure(lines: int) -> dict:
    figures = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in filter(str.strip, FILL.split(";\n")):
            cursor.execute(statement, {"entries": lines // 4, "terceros": 2000})
    figures["build"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE books_entryline; ANALYZE books_balance; ANALYZE books_entry; "
            "ANALYZE books_accountbalance; ANALYZE books_accountdaybalance"
        )
        cursor.execute("SELECT count(*) FROM books_entryline")
        figures["lines"] = cursor.fetchone()[0]
        cursor.execute("SELECT account_id FROM books_entryline GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        busiest = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM books_thirdparty")
        tercero = cursor.fetchone()[0]
    for level in [None, *LEVEL_LENGTHS]:
        balances = _p95(lambda level=level: trial_balance(start=START, end=END, level=level))
        plain = _p95(lambda level=level: _plain(LEVEL_LENGTHS.get(level, 20)))
        figures[level or "movement"] = (balances, plain)
    figures["by_tercero"] = _p95(lambda: trial_balance(start=START, end=END, by_third_party=True))
    account = Scope(account_from=busiest, account_to=busiest)
    figures["auxiliary_account"] = _p95(lambda: auxiliary(start=START, end=END, scope=account))
    figures["auxiliary_tercero"] = _p95(
        lambda: auxiliary(start=START, end=END, scope=Scope(third_party=tercero))
    )
    # Several accounts, each with its own balance: class 1, per account and per account × tercero.
    class_1 = Scope(account_from="1", account_to="1")
    figures["auxiliary_class"] = _p95(lambda: auxiliary(start=START, end=END, scope=class_1))
    figures["auxiliary_class_tercero"] = _p95(
        lambda: auxiliary(start=START, end=END, scope=class_1, by_third_party=True)
    )
    return figures


def bench_reports(user, workspace):
    results = {}
    for lines in (100_000, 1_000_000):
        company = bench_company(user, workspace, f"informes {lines}")
        try:
            with schema_context(company.schema_name):
                results[lines] = measure(lines)
                if lines == 1_000_000:
                    params = ReportParams(
                        start=date(2025, 1, 1),
                        end=date(2025, 12, 31),
                        scope=Scope(account_from="1", account_to="1"),
                    )
                    report = auxiliary_table(params)
                    rows = list(islice(report.rows, 100_000))
                    started = time.perf_counter()
                    report_xlsx(TableReport(report.title, report.period, report.columns, rows), company)
                    results["xlsx"] = (len(rows), time.perf_counter() - started)
        finally:
            drop(company)
    small, large = results[100_000], results[1_000_000]
    print(
        f"\nReports: {large['lines']:,} posted lines built and posted in {large['build']:.0f} s "
        f"(100,000: {small['build']:.0f} s)"
    )
    print(
        f"Trial balance {START} to {END}, p95 of {RUNS} runs (ms): "
        "from the kept balances (per month, per day at the edges) vs a plain SUM over the lines"
    )
    print(f"  {'level':12} {'100k bal.':>10} {'1M bal.':>10} {'1M plain':>10} {'speed-up':>9}")
    for level in ["movement", *LEVEL_LENGTHS]:
        (small_bal, _small_plain), (bal, plain) = small[level], large[level]
        print(f"  {level:12} {small_bal:10.1f} {bal:10.1f} {plain:10.1f} {plain / bal:8.1f}x")
    print("  goals: p95 < 1,000 ms at every level, balances >= 10x faster than the plain SUM")
    print(f"  by tercero: 100k {small['by_tercero']:.0f} ms, 1M {large['by_tercero']:.0f} ms (goal < 3,000)")
    print(
        f"  libro auxiliar, first page: busiest account 100k {small['auxiliary_account']:.0f} ms / 1M "
        f"{large['auxiliary_account']:.0f} ms; a tercero 100k {small['auxiliary_tercero']:.0f} ms / 1M "
        f"{large['auxiliary_tercero']:.0f} ms (goal < 300)"
    )
    print(
        f"  libro auxiliar of class 1, first page: per account 100k {small['auxiliary_class']:.0f} ms / 1M "
        f"{large['auxiliary_class']:.0f} ms; per account and tercero 100k "
        f"{small['auxiliary_class_tercero']:.0f} ms / 1M {large['auxiliary_class_tercero']:.0f} ms"
    )
    rows, seconds = results["xlsx"]
    print(f"  XLSX of {rows:,} rows (libro auxiliar of class 1): {seconds:.1f} s (goal < 10)")
