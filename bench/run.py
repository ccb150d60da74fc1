# ruff: noqa: E402 (Django is configured before the project is imported)
"""Benchmarks (`make bench`): workspace list and search with 100 vs 10,000 linked companies, and provisioning;
the books, the reports, the portfolio board and the memory of uploads (bench/books_bench.py, reports_bench.py,
board_bench.py, uploads_bench.py).

Runs against its own database (BENCH_DATABASE_NAME, default portal_bench) on the DATABASE_URL server, created
and filled as the owner role (DATABASE_OWNER_URL, else DATABASE_URL's role) as the test settings connect.
Server time = the request through Django's full middleware stack and template (test client, no network).
"""

import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_contador")
parts = urllib.parse.urlsplit(base_url)
owner = urllib.parse.urlsplit(os.environ.get("DATABASE_OWNER_URL") or base_url)  # creates the database
os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(
    parts._replace(path="/" + os.environ.get("BENCH_DATABASE_NAME", "portal_bench"))
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountant_portal.settings.test")

import psycopg

with psycopg.connect(
    host=parts.hostname,
    port=parts.port or 5432,
    user=owner.username or "postgres",
    password=owner.password,
    dbname="postgres",
    autocommit=True,
) as conn:
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')

import django

from accountant_portal.celery import app

django.setup()

from django.core.management import call_command
from django.db import (
    connection,
    transaction,
)
from django.test import Client
from django_tenants.utils import schema_context
from stdnum.co import nit

from accounts.models import User
from books.services.chart import chart_copy, chart_seed
from firms.models import Company, CompanyAccess, WorkspaceMember
from firms.services.provisioning import company_provision, schema_replay, schema_template
from firms.services.workspaces import workspace_create

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WORDS = [
    "Andina",
    "Caribe",
    "Pacífico",
    "Montaña",
    "Llanos",
    "Sabana",
    "Cordillera",
    "Valle",
    "Costa",
    "Sierra",
]


def workspace_with(count: int, number: int):
    email = f"bench{count}@example.com"
    user, _ = User.objects.get_or_create(email=email)
    member = WorkspaceMember.objects.filter(user=user).select_related("workspace").first()
    workspace = member.workspace if member else workspace_create(owner=user, name=f"Bench {count}")
    have = CompanyAccess.objects.filter(workspace=workspace).count()
    if have < count:
        companies = []
        for index in range(have, count):
            tax_id = str(500_000_000 + number * 10_000_000 + index)
            # 30 companies per workspace are "Peña"; the others never match that search.
            label = (
                f"Panadería Peña {index}"
                if index < 30
                else f"Comercial {WORDS[index % len(WORDS)]} {index:05d}"
            )
            company = Company(
                name=f"{label} S.A.S.", country="CO", tax_id=tax_id, check_digit=nit.calc_check_digit(tax_id)
            )
            company.fill_derived_fields()
            companies.append(company)
        Company.objects.bulk_create(companies, batch_size=2000)
        CompanyAccess.objects.bulk_create(
            [CompanyAccess(workspace=workspace, company=c, status="active") for c in companies],
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE firms_company; ANALYZE firms_companyaccess")
    return user, workspace


def server_ms(client: Client, url: str) -> float:
    for _ in range(5):
        client.get(url)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def bench_list():
    print("Workspace list, median server time of", RUNS, "requests (ms):")
    print(f"{'page':38} {'100':>8} {'10,000':>8} {'ratio':>6}")
    small_user, _ = workspace_with(100, 1)
    large_user, large_ws = workspace_with(10_000, 2)
    small_tax = (
        CompanyAccess.objects.filter(workspace__members__user=small_user)
        .values_list("company__tax_id", flat=True)
        .last()
    )
    large_tax = (
        CompanyAccess.objects.filter(workspace=large_ws).values_list("company__tax_id", flat=True).last()
    )
    pages = [
        ("list, page 1", "/contador/", "/contador/"),
        (
            "list, page 3 sorted by tax ID desc",
            "/contador/?sort=-tax_id&page=3",
            "/contador/?sort=-tax_id&page=3",
        ),
        ("list sorted by country", "/contador/?sort=country", "/contador/?sort=country"),
        ("list sorted by link status", "/contador/?sort=status", "/contador/?sort=status"),
        ("list sorted by link date, newest", "/contador/?sort=-linked", "/contador/?sort=-linked"),
        ("filter active, sorted by name", "/contador/?status=active", "/contador/?status=active"),
        ("search by name 'pena'", "/contador/?q=pena", "/contador/?q=pena"),
        ("search by partial tax ID", f"/contador/?q={small_tax[2:8]}", f"/contador/?q={large_tax[2:8]}"),
    ]
    small, large = Client(), Client()
    small.force_login(small_user)
    large.force_login(large_user)
    for label, small_url, large_url in pages:
        a, b = server_ms(small, small_url), server_ms(large, large_url)
        print(f"{label:38} {a:8.1f} {b:8.1f} {b / a:6.2f}")


def _new_companies(label: str, count: int) -> list[Company]:
    companies = []
    for index in range(count):
        tax_id = str(400_000_000 + (time.time_ns() // 1000) % 90_000_000 + index)
        company = Company(
            name=f"{label} {index}", country="CO", tax_id=tax_id, check_digit=nit.calc_check_digit(tax_id)
        )
        company.save()
        companies.append(company)
    return companies


def _timed(companies, provision) -> float:
    start = time.perf_counter()
    for company in companies:
        provision(company)
    return (time.perf_counter() - start) * 1000 / len(companies)


def bench_provisioning(count: int = 20):
    """ms per company schema, the three ways side by side, each with the PUC (2,471 accounts) seeded."""
    template = schema_template()  # built once per migration state, not timed

    def tenants_default(company):  # CREATE SCHEMA + migrations, then the seed from the CSV
        with transaction.atomic():
            company.create_schema(check_if_exists=True, verbosity=0)
            with schema_context(company.schema_name):
                chart_seed(country="CO")

    def replay_floor(company):  # the template's statements and rows, raw SQL, one transaction per company
        with transaction.atomic():
            schema_replay(schema_name=company.schema_name, template=template)
            with schema_context(company.schema_name):
                chart_copy(country="CO", template_schema=template.schema_name)

    def replay_ddl_only(company):
        with transaction.atomic():
            schema_replay(schema_name=company.schema_name, template=template)

    def project_path(company):  # firms.services.company_provision: lock, statuses, replay, seed copy
        company_provision(company_id=company.pk)

    ways = [
        ("django-tenants default (migrations)", tenants_default),
        ("DDL replay floor (+ seed copy)", replay_floor),
        ("DDL replay only (no seed)", replay_ddl_only),
        ("project path (company_provision)", project_path),
    ]
    results = {}
    created = []
    for label, provision in ways:
        companies = _new_companies(label, count)
        created += companies
        results[label] = _timed(companies, provision)
    print(f"\nProvisioning, ms per company ({count} companies each, same run):")
    for label, ms in results.items():
        print(f"  {label:40} {ms:7.1f}")
    project = results["project path (company_provision)"]
    print(
        f"  project / floor = {project / results['DDL replay floor (+ seed copy)']:.2f} (goal <= 1.5); "
        f"default / project = {results['django-tenants default (migrations)'] / project:.1f}x (goal >= 5)"
    )
    with connection.cursor() as cursor:
        for company in created:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
    Company.objects.filter(pk__in=[c.pk for c in created]).delete()


def bench_import(rows: int = 1000):
    """A 1,000-row spreadsheet: preview, processing (the job's work), then every schema provisioned."""
    from bulk_import.services import import_confirm, import_preview, import_process

    user, workspace = workspace_with(0, 3)
    base = 300_000_000 + (time.time_ns() // 1000) % 50_000_000
    lines = [
        "Nombre de la empresa;NIT o identificación;Teléfono celular (opcional);Correo electrónico (opcional)"
    ]
    for index in range(rows):
        number = str(base + index)
        lines.append(
            f"Empresa Carga {index} S.A.S.;{number}-{nit.calc_check_digit(number)};300 123 {index:04d};"
        )
    data = ("\n".join(lines) + "\n").encode("cp1252")
    start = time.perf_counter()
    job = import_preview(workspace=workspace, user=user, file_name="mil.csv", data=data)
    preview = time.perf_counter() - start
    import_confirm(job=job)
    start = time.perf_counter()
    job = import_process(job_id=job.pk)
    listed = time.perf_counter() - start
    created = list(
        Company.objects.filter(accesses__workspace=workspace, provisioning_status="pending").order_by("id")
    )
    start = time.perf_counter()
    for company in created:
        company_provision(company_id=company.pk)
    provisioned = time.perf_counter() - start
    print(f"\nImport of a {rows}-row CSV (cp1252, semicolons): {job.created_count} companies created")
    print(f"  preview {preview:6.2f} s (goal < 3)")
    print(f"  confirm -> all listed {listed:6.2f} s (goal < 10)")
    each = 1000 * provisioned / max(len(created), 1)
    print(f"  all schemas ready {provisioned:6.2f} s (goal < 120), {each:.0f} ms each")
    with connection.cursor() as cursor:
        for company in created:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
    Company.objects.filter(pk__in=[c.pk for c in created]).delete()
    app.control.purge()  # the provisioning tasks the job queued: done above already


def bench_scaling(args: list[str]) -> None:
    """In a process and a database of its own (bench/scaling_bench.py): it adds migrations, drops its DB."""
    env = {**os.environ, "DATABASE_URL": base_url}
    script = str(ROOT / "bench" / "scaling_bench.py")
    subprocess.run([sys.executable, script, *args], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    from bench.books_bench import bench_journal_import, bench_posting

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    # e.g. `python bench/run.py books` runs only the books benchmarks; options go to the scaling bench
    argv = sys.argv[1:]
    options = argv[next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv)) :]
    only = argv[: len(argv) - len(options)]
    if not only or "firms" in only:
        bench_list()
        bench_provisioning()
        bench_import()
    if not only or "books" in only:
        user, workspace = workspace_with(0, 4)
        bench_posting(user, workspace)
        bench_journal_import(user, workspace)
    if not only or "board" in only:
        from bench.board_bench import bench_board_pages, bench_nightly_refresh, bench_posting_to_board

        bench_board_pages()
        bench_posting_to_board()
        bench_nightly_refresh()
    if not only or "reports" in only:
        from bench.reports_bench import bench_reports

        user, workspace = workspace_with(0, 4)
        bench_reports(user, workspace)
    if not only or "uploads" in only:
        from bench.uploads_bench import bench_uploads

        user, workspace = workspace_with(0, 4)
        bench_uploads(user, workspace)
    if not only or "scaling" in only:
        bench_scaling(options)
