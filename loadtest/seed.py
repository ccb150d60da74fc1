# ruff: noqa: E402 (Django is configured after the database is created)
"""Seeds the load test's database (LOADTEST_DATABASE_NAME, default portal_loadtest) once, then reuses it.

20 workspaces (demo1..demo20@example.com) of 100 companies each, every active company's schema provisioned
(the project's own replay of the template schema), and in the first BOOKS_PER_WORKSPACE active companies of
each a year of comprobantes built in SQL with generate_series and posted by the ledger's own triggers.
A marker table in the public schema records the seed's version and the migrations it was made with: a
database with the same marker is reused as it is, one with another marker is dropped and seeded again, and
one without a marker (an interrupted seed) is completed.
"""

import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKSPACES = 20
COMPANIES = 100
BOOKS_PER_WORKSPACE = 5
ENTRIES_PER_COMPANY = 3000  # 4 lines each: 12,000 posted lines a year per company with books
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "carga-contador-2026")
SEED_VERSION = f"v2-{WORKSPACES}x{COMPANIES}-{BOOKS_PER_WORKSPACE}x{ENTRIES_PER_COMPANY}"

server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_contador")
# Created, owned and seeded by the owner role (DATABASE_OWNER_URL's user, else DATABASE_URL's).
parts = urllib.parse.urlsplit(os.environ.get("DATABASE_OWNER_URL") or server_url)
os.environ["DATABASE_ROLE"] = "owner"
NAME = os.environ.get("LOADTEST_DATABASE_NAME", "portal_loadtest")
os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(
    urllib.parse.urlsplit(server_url)._replace(path="/" + NAME)
)

import psycopg


def _server():
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def _marker() -> str | None:
    """The seed marker of an existing database, None when there is no (finished) seed."""
    with _server() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone():
            return None
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=NAME,
    ) as conn:
        if not conn.execute("SELECT to_regclass('public.loadtest_seed')").fetchone()[0]:
            return None
        row = conn.execute("SELECT marker FROM loadtest_seed").fetchone()
        return row[0] if row else None


import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections, transaction
from django_tenants.utils import schema_context

from accounts.demo import seed_admin
from firms.demo import seed_demo
from firms.models import Company, CompanyAccess, Workspace
from firms.services.provisioning import company_provision, migration_state_key
from firms.services.snapshots import company_snapshots_refresh
from firms.services.workspaces import workspace_set_plan

# A year of comprobantes ending last month: 3 of every 4 lines carry a tercero or a cost center.
BOOKS_FILL = """
INSERT INTO books_thirdparty (person_type, document_type, number, check_digit, business_name, first_names,
    last_names, email, phone, address, city, is_active, search_text, created_at)
SELECT 'juridica', 'nit', (800000000 + n)::text, '', 'Cliente ' || n || ' S.A.S.', '', '', '', '', '',
       'Bogotá', true, 'cliente ' || n || ' s.a.s. ' || (800000000 + n), now()
  FROM generate_series(1, 300) AS n;
INSERT INTO books_costcenter (code, name, is_active)
SELECT 'CC' || n, 'Centro ' || n, true FROM generate_series(1, 5) AS n;
CREATE TEMP TABLE seed_accounts AS
SELECT row_number() OVER (ORDER BY code) AS n, code FROM books_account a
 WHERE code ~ '^[1-6]' AND NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = a.code)
 ORDER BY code LIMIT 120;
CREATE TEMP TABLE seed_tercero_accounts AS
SELECT row_number() OVER (ORDER BY code) AS n, code FROM books_account a
 WHERE code ~ '^(13|22|23|41)' AND NOT EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = a.code)
 ORDER BY code LIMIT 20;
INSERT INTO books_entry (voucher_type_id, number, date, description, status, source, total, prepared_by_name,
    created_at, posted_by_name, annulled_by_name, annul_reason)
SELECT (SELECT id FROM books_vouchertype WHERE code = 'CC'), NULL,
       (date_trunc('month', now()) - interval '12 months')::date + (e %% 365),
       'Causación ' || e, 'draft', 'import', 0, 'Carga', now(), '', '', ''
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
  CROSS JOIN LATERAL (SELECT (en.id * 7919) %% 300 AS n) AS t
  CROSS JOIN LATERAL (SELECT ((en.id * 7919) %% 99991 + 100)::numeric(18, 2) * 100 AS v) AS amount
  JOIN seed_tercero_accounts ta1 ON ta1.n = 1 + (t.n %% 20)
  JOIN seed_tercero_accounts ta3 ON ta3.n = 1 + ((t.n * 7 + 3) %% 20)
  JOIN seed_accounts a2 ON a2.n = 1 + ((en.id * 31) %% 120)
  JOIN seed_accounts a4 ON a4.n = 1 + ((en.id * 17) %% 120)
  CROSS JOIN generate_series(1, 4) AS k;
UPDATE books_entry SET status = 'posted', number = id, posted_at = now(), posted_by_name = 'Carga';
UPDATE books_vouchertype SET next_number = (SELECT max(number) + 1 FROM books_entry) WHERE code = 'CC';
DROP TABLE seed_accounts;
DROP TABLE seed_tercero_accounts;
ANALYZE books_entry;
ANALYZE books_entryline;
ANALYZE books_balance;
ANALYZE books_accountbalance;
ANALYZE books_accountdaybalance;
ANALYZE books_thirdparty
"""


def _log(message: str, started: float) -> None:
    print(f"  {message} ({time.monotonic() - started:.0f} s)", flush=True)


def seed(*, fresh: bool) -> None:
    """Every step skips what is done already, so an interrupted seed goes on where it stopped."""
    started = time.monotonic()
    connections.close_all()
    with _server() as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{NAME}"')
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    _log("public schema migrated", started)
    logins = seed_demo(workspaces=WORKSPACES, companies=COMPANIES, password=PASSWORD)
    seed_admin(password=PASSWORD)
    for login in logins:  # a paid plan: the trial would end and make the seeded workspaces read-only
        workspace_set_plan(workspace=login.workspace, plan=Workspace.Plan.PAID)
    _log(f"{WORKSPACES} workspaces x {COMPANIES} companies", started)
    active = list(
        CompanyAccess.objects.filter(status=CompanyAccess.Status.ACTIVE)
        .exclude(company__provisioning_status=Company.Provisioning.READY)
        .order_by("company_id")
        .values_list("company_id", flat=True)
    )
    for company_id in active:
        company_provision(company_id=company_id)
    _log(f"{len(active)} company schemas provisioned", started)
    lines = 0
    for login in logins:
        ids = (
            CompanyAccess.objects.filter(workspace=login.workspace, status=CompanyAccess.Status.ACTIVE)
            .order_by("company_id")
            .values_list("company_id", flat=True)[:BOOKS_PER_WORKSPACE]
        )
        for company in Company.objects.filter(pk__in=list(ids)):
            with schema_context(company.schema_name), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM books_entry)")
                if cursor.fetchone()[0]:
                    continue
                for statement in filter(str.strip, BOOKS_FILL.split(";\n")):
                    cursor.execute(statement, {"entries": ENTRIES_PER_COMPANY})
                cursor.execute("SELECT count(*) FROM books_entryline")
                lines += cursor.fetchone()[0]
    _log(f"{lines:,} posted lines added (books in {BOOKS_PER_WORKSPACE} companies a workspace)", started)
    # The board's figures, as the nightly refresh leaves them.
    ready = Company.objects.filter(provisioning_status=Company.Provisioning.READY).order_by("pk")
    company_snapshots_refresh(company_ids=list(ready.values_list("pk", flat=True)))
    _log("board snapshots refreshed", started)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'ANALYZE public."{table}"')
        cursor.execute("CREATE TABLE loadtest_seed (marker text NOT NULL)")
        cursor.execute("INSERT INTO loadtest_seed VALUES (%s)", [_wanted_marker()])
    _log("seeded", started)


def _wanted_marker() -> str:
    return f"{SEED_VERSION}-{migration_state_key()}"


def write_plan(path: Path) -> None:
    """What the simulated accountants use (loadtest/locustfile.py): each login, its companies with books
    and its other active companies, with their names (the switcher's searches)."""
    workspaces = []
    for number in range(1, WORKSPACES + 1):
        email = f"demo{number}@example.com"
        accesses = list(
            CompanyAccess.objects.filter(
                workspace__members__user__email=email,
                workspace__members__role="owner",
                status=CompanyAccess.Status.ACTIVE,
            )
            .select_related("company")
            .order_by("company_id")
        )
        companies = [{"slug": a.company.slug, "name": a.company.name} for a in accesses]
        workspaces.append(
            {
                "email": email,
                "books": companies[:BOOKS_PER_WORKSPACE],
                "others": companies[BOOKS_PER_WORKSPACE:],
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"password": PASSWORD, "workspaces": workspaces}, ensure_ascii=False))


def main() -> None:
    marker = _marker()
    if marker == _wanted_marker():
        print(f"Load test database {NAME} already seeded ({marker}): reused.", flush=True)
    else:
        # Another seed's database (or other migrations) is made anew; an unfinished one is completed.
        print(f"Seeding the load test database {NAME} ...", flush=True)
        seed(fresh=marker is not None)
    if len(sys.argv) > 1:
        write_plan(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
