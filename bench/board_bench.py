"""The portfolio board (called by bench/run.py, `python bench/run.py board`).

1. The board of a workspace with 2,000 companies against one with 20: p95 server time (test client through
   the full middleware) and query count. Companies, accesses, assignments and snapshot rows are inserted in
   SQL with generate_series (these companies have no schema: the board never reads one).
2. Posting → board: a real Celery worker process runs; a comprobante is posted and the board is read until
   its row shows the comprobante.
3. The nightly refresh: BOARD_BENCH_SCHEMAS companies with real schemas (provisioned the project's way, with
   balance rows and drafts written in SQL), refreshed batch by batch as the nightly tasks do; the time for
   2,000 is extrapolated from the time per company. The 2,000 schema-less companies are refreshed too (the
   tax calendar's part and the upsert at full size).
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from books.models import VoucherType
from books.services.entries import LineInput, entry_save_and_post
from firms.models import Company, CompanySnapshot
from firms.services.snapshots import company_snapshots_refresh

from .books_bench import bench_company, drop

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
SCHEMAS = int(os.environ.get("BOARD_BENCH_SCHEMAS", "100"))

FILL = """
INSERT INTO firms_company (schema_name, name, slug, country, tax_id, check_digit, sector,
    tax_responsibilities, phone, email, provisioning_status, provisioning_error, search_text, created_at,
    iva_periodicity, ciiu_division, document_type, given_names, person_type, surnames)
SELECT 'c_board_' || %(tag)s || '_' || n, 'Tablero ' || %(tag)s || ' empresa ' || n,
       'tablero-' || %(tag)s || '-' || n, 'CO', (700000000 + %(count)s * 10 + n)::text, (n %% 10)::text, 'C',
       ARRAY['05', '07', '48'], '', '', 'pending', '',
       'tablero empresa ' || n || ' ' || (700000000 + %(count)s * 10 + n), now(),
       'bimestral', '', 'nit', '', 'juridica', ''
  FROM generate_series(1, %(count)s) AS n;
INSERT INTO firms_companyaccess (workspace_id, company_id, name, country, tax_id, check_digit, search_text,
    status, created_at, status_changed_at, activated_at, invitation_status, decline_reason)
SELECT %(workspace)s, c.id, c.name, c.country, c.tax_id, c.check_digit, c.search_text, 'active', now(), now(),
       now(), CASE WHEN c.id %% 7 = 0 THEN 'sent' ELSE 'accepted' END, ''
  FROM firms_company c WHERE c.slug LIKE 'tablero-' || %(tag)s || '-%%';
INSERT INTO firms_companyassignment (access_id, member_id, is_responsible, created_at)
SELECT a.id, %(member)s, true, now() FROM firms_companyaccess a
 WHERE a.workspace_id = %(workspace)s AND a.id %% 3 <> 0;
INSERT INTO firms_companysnapshot (company_id, last_entry_date, last_entry_label, last_entry_by, drafts,
    oldest_draft_at, locked_until, banks, receivables, payables, taxes_payable, result, result_year,
    against_nature, against_nature_count, next_due_date, next_due_obligation, next_due_period, refreshed_at)
SELECT c.id, date '2026-01-01' + (c.id %% 300)::int, 'CC-' || c.id, 'Laura Contadora', c.id %% 5,
       now() - make_interval(days => (c.id %% 60)::int), date '2025-12-31',
       ((c.id * 7919) %% 9000000 - 500000)::numeric(18, 2), (c.id * 31 %% 800000)::numeric(18, 2),
       (c.id * 17 %% 600000)::numeric(18, 2), (c.id * 13 %% 90000)::numeric(18, 2),
       ((c.id * 101) %% 2000000 - 700000)::numeric(18, 2), 2026,
       CASE WHEN c.id %% 11 = 0 THEN '111005' ELSE '' END, (c.id %% 11 = 0)::int,
       current_date + (c.id %% 40 - 5)::int, 'Retención en la fuente', '2026-11', now()
  FROM firms_company c WHERE c.slug LIKE 'tablero-' || %(tag)s || '-%%';
ANALYZE firms_company; ANALYZE firms_companyaccess;
ANALYZE firms_companyassignment; ANALYZE firms_companysnapshot;
"""
BALANCES = """
INSERT INTO books_accountbalance (account_id, period, debit, credit)
SELECT a.code, make_date(2026, m, 1), ((hashtext(a.code) & 65535) * m)::numeric(18, 2),
       ((hashtext(a.code || 'c') & 65535) * m)::numeric(18, 2)
  FROM (SELECT code FROM books_account x WHERE code ~ '^[1-7]'
          AND NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = x.code)
         ORDER BY hashtext(code) LIMIT 150) a
 CROSS JOIN generate_series(1, 11) AS m;
INSERT INTO books_entry (voucher_type_id, number, date, description, status, source, total, prepared_by_name,
    created_at, posted_by_name, annulled_by_name, annul_reason)
SELECT (SELECT id FROM books_vouchertype WHERE code = 'CC'), NULL, date '2026-11-01' + n, 'Borrador ' || n,
       'draft', 'manual', 0, 'bench', now() - make_interval(days => n), '', '', ''
  FROM generate_series(1, 20) AS n;
"""


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _workspace(count: int):
    from accounts.models import User
    from firms.models import WorkspaceMember
    from firms.services.workspaces import workspace_create

    email = f"board{count}@example.com"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, full_name=f"Contadora {count}")
        workspace_create(owner=user, name=f"Tablero {count}")
    member = WorkspaceMember.objects.select_related("workspace").get(user=user)
    if not Company.objects.filter(slug__startswith=f"tablero-t{count}-").exists():
        with connection.cursor() as cursor:
            cursor.execute(
                FILL,
                {"tag": f"t{count}", "count": count, "workspace": member.workspace_id, "member": member.pk},
            )
    return user, member.workspace


def _page(client: Client, url: str) -> tuple[float, float, int, float, float]:
    """p50 and p95 server time, queries per request, the median time spent in those queries, and the median
    CPU time of this process per request (which the other processes on a busy machine do not inflate)."""
    for _ in range(5):
        client.get(url)
    samples, sql, cpu = [], [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return (
        statistics.median(samples),
        _p95(samples),
        len(queries),
        statistics.median(sql),
        statistics.median(cpu),
    )


def bench_board_pages():
    print(
        f"Portfolio board, server time over {RUNS} requests (ms), queries per request, their time and the "
        f"Python CPU time per request (ms); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:"
    )
    print(
        f"{'page':34} {'20: p50':>8} {'p95':>5} {'q':>3} {'sql':>4} {'cpu':>4} "
        f"{'2,000: p50':>11} {'p95':>5} {'q':>3} {'sql':>4} {'cpu':>4}"
    )
    clients = {}
    for count in (20, 2000):
        user, _workspace_row = _workspace(count)
        clients[count] = Client()
        clients[count].force_login(user)
    for label, url in [
        ("board, needs attention first", "/contador/"),
        ("sorted by banks, descending", "/contador/?orden=-banks"),
        ("sorted by responsable", "/contador/?orden=responsible"),
        ("filter: some alert", "/contador/?alerta=any"),
        ("search 'empresa 1' + due soon", "/contador/?q=empresa+1&alerta=due"),
        ("last page", "/contador/?page=40"),
    ]:
        small = _page(clients[20], url)
        large = _page(clients[2000], url)
        figures = [f"{small[0]:8.0f} {small[1]:5.0f} {small[2]:3d} {small[3]:4.0f} {small[4]:4.0f}"]
        figures.append(f"{large[0]:11.0f} {large[1]:5.0f} {large[2]:3d} {large[3]:4.0f} {large[4]:4.0f}")
        print(f"{label:34} {' '.join(figures)}")
    for fmt in ("csv", "xlsx"):
        start = time.perf_counter()
        response = clients[2000].get(f"/contador/tablero.{fmt}")
        assert response.status_code == 200
        print(f"export {fmt} of 2,000 rows: {(time.perf_counter() - start) * 1000:.0f} ms")


def bench_posting_to_board():
    """A real worker; the time from the posting's commit until the board's page shows it."""
    user, workspace = _workspace(20)
    company = bench_company(user, workspace, "tablero-latencia")
    client = Client()
    client.force_login(user)
    log = ROOT / "var" / "board_bench_worker.log"
    log.parent.mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "accountant_portal", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    latencies = []
    try:
        time.sleep(4)  # the worker connects to the broker
        voucher = None
        for n in range(1, 12):
            with schema_context(company.schema_name):
                voucher = voucher or VoucherType.objects.get(code="CC")
                entry = entry_save_and_post(
                    voucher_type=voucher,
                    day=date(2026, 11, n),
                    description="Latencia",
                    lines=[LineInput("110505", debit=Decimal(n)), LineInput("413595", credit=Decimal(n))],
                    user=user,
                )
            label = f"{entry.voucher_type.code}-{entry.number}"
            start = time.perf_counter()
            while label not in client.get(f"/contador/?q={company.tax_id}").content.decode():
                if time.perf_counter() - start > 30:
                    raise RuntimeError(f"the board did not show {label} in 30 s; see {log}")
                time.sleep(0.05)
            latencies.append(time.perf_counter() - start)
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        drop(company)
    warm = latencies[1:]  # the first task of a new worker process also loads the project
    print(
        f"posting → board with a worker running: first posting {latencies[0]:.2f} s; the next {len(warm)}: "
        f"median {statistics.median(warm):.2f} s, max {max(warm):.2f} s"
    )


def bench_nightly_refresh():
    user, workspace = _workspace(20)
    batch = settings.SNAPSHOT_REFRESH_BATCH
    start = time.perf_counter()
    companies = []
    for n in range(SCHEMAS):
        company = bench_company(user, workspace, f"noche {n}")
        with schema_context(company.schema_name), connection.cursor() as cursor:
            cursor.execute(BALANCES)
        companies.append(company)
    print(f"provisioned {SCHEMAS} schemas with balances in {time.perf_counter() - start:.0f} s")
    try:
        ids = [c.pk for c in companies]
        start = time.perf_counter()
        for first in range(0, len(ids), batch):
            company_snapshots_refresh(company_ids=ids[first : first + batch])
        with_schemas = time.perf_counter() - start
        with_figures = CompanySnapshot.objects.filter(company_id__in=ids, refreshed_at__isnull=False).exclude(
            result=0
        )
        assert with_figures.count() == len(ids), "every refreshed company has its result"
        per_company = with_schemas / len(ids)
        print(
            f"nightly refresh, {len(ids)} companies with schemas in batches of {batch}: {with_schemas:.1f} s "
            f"({per_company * 1000:.0f} ms each) → 2,000 companies ≈ {per_company * 2000:.0f} s on one worker"
        )
        board = list(
            Company.objects.filter(slug__startswith="tablero-t2000-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if board:
            start = time.perf_counter()
            for first in range(0, len(board), batch):
                company_snapshots_refresh(company_ids=board[first : first + batch])
            print(
                f"nightly refresh, the 2,000 board companies without schemas (tax calendar + upsert only): "
                f"{time.perf_counter() - start:.1f} s"
            )
    finally:
        for company in companies:
            drop(company)
        # The next run inserts the board's companies and snapshots again (the refresh above zeroed them).
        Company.objects.filter(slug__startswith="tablero-t").delete()
