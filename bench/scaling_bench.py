# ruff: noqa: E402, S603, S608 (Django is configured first; the bench runs its own commands and SQL)
"""Many companies on one server: 100, 1,000, 5,000 company schemas in one database.

`python bench/run.py scaling [--steps 100,1000,5000] [--keep]` (or BENCH_SCALING_STEPS). Works in a
database of its own (BENCH_SCALING_DATABASE_NAME, default portal_bench_scaling), created empty at the
start and dropped at the end unless --keep. At each step it grows to that many ready company schemas
and prints:
- provisioning one more company the project's way (`company_provision`: template replay + chart copy);
- one new tenant migration (a nullable column, written into a copy of books' migrations that
  MIGRATION_MODULES points at, never into the app) applied over every schema by `companies_migrate`,
  the runner behind `migrate_companies`, with its default number of processes;
- the catalog: relations in pg_class, rows of pg_attribute, size of pg_catalog, size of the database;
- a gunicorn worker (one sync worker, as in production): median time of the workspace's company list
  (every company linked to the one workspace), its memory (RSS) after the list and after entering 200
  companies, and the memory of its PostgreSQL backend.

The schemas of a step are built quickly, not the way a signup does: the template's statements replayed,
5 companies per transaction (each takes ~100 locks, from a lock table of max_locks_per_transaction x
max_connections slots shared by every session), without the chart's 2,471 seeded rows (the catalog, the
migrations and the list do not depend on them; "provision one more" includes them).
"""

import argparse
import importlib
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIGRATIONS_PACKAGE = "bench_scaling_books_migrations"
SETTINGS_MODULE = "bench_scaling_settings"

base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_contador")
parts = urllib.parse.urlsplit(base_url)
owner = urllib.parse.urlsplit(os.environ.get("DATABASE_OWNER_URL") or base_url)  # creates and drops it
DATABASE = os.environ.get("BENCH_SCALING_DATABASE_NAME", "portal_bench_scaling")
WORK = ROOT / "var" / "bench" / DATABASE  # the migrations' copy and the web settings of this run
os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path="/" + DATABASE))

import psycopg


def _admin_connection():
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=owner.username or "postgres",
        password=owner.password,
        dbname="postgres",
        autocommit=True,
    )


def database_recreate() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def database_drop() -> None:
    from django.db import connections

    connections.close_all()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def migrations_copy() -> Path:
    """A copy of books' migrations that the bench may add migrations to (MIGRATION_MODULES points at it)."""
    package = WORK / MIGRATIONS_PACKAGE
    shutil.rmtree(package, ignore_errors=True)
    package.mkdir(parents=True)
    for source in (ROOT / "books" / "migrations").glob("*.py"):
        shutil.copy(source, package / source.name)
    # The web process: test settings with connections kept open, as in production.
    (WORK / f"{SETTINGS_MODULE}.py").write_text(
        "from accountant_portal.settings.test import *  # noqa\n"
        "DATABASES['default']['CONN_MAX_AGE'] = 60\n"
        f"MIGRATION_MODULES = {{'books': '{MIGRATIONS_PACKAGE}'}}\n"
    )
    sys.path.insert(0, str(WORK))
    return package


def migration_add(package: Path, step: int) -> str:
    """Write a new books migration after the latest one: a nullable column (what most migrations are)."""
    latest = sorted(p.stem for p in package.glob("[0-9][0-9][0-9][0-9]_*.py"))[-1]
    name = f"{int(latest[:4]) + 1:04d}_bench_scaling_{step}"
    (package / f"{name}.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('books', '{latest}')]\n"
        "    operations = [\n"
        f"        migrations.AddField('costcenter', 'bench_note_{step}', models.CharField(max_length=20, "
        "null=True)),\n"
        "    ]\n"
    )
    importlib.invalidate_caches()
    return name


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/run.py scaling")
    parser.add_argument(
        "--steps",
        default=os.environ.get("BENCH_SCALING_STEPS", "100"),
        help="Company schema counts to measure at, growing (default 100, to keep `make bench` short; "
        "the full run: 100,1000,5000).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
    args = parser.parse_args(sys.argv[2:] if sys.argv[1:2] == ["scaling"] else sys.argv[1:])
    steps = sorted(int(step) for step in args.steps.split(","))

    database_recreate()
    package = migrations_copy()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE  # the test settings + the migrations' copy
    import django

    django.setup()
    logging.getLogger("firms").setLevel(logging.WARNING)  # one line per provisioned company otherwise
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)

    started = time.monotonic()
    try:
        run_steps(package, steps)
    finally:
        if not args.keep:
            database_drop()
    print(f"Scaling bench: {time.monotonic() - started:.0f} s in all.")


# ---------------------------------------------------------------------------------------------------------


def run_steps(package: Path, steps: list[int]) -> None:
    from stdnum.co import nit

    from accounts.models import User
    from firms.models import Company, CompanyAccess
    from firms.schema_migrations import companies_migrate, default_processes
    from firms.services.provisioning import company_provision, migration_state_key
    from firms.services.workspaces import workspace_create

    user = User.objects.create(email="escala@example.com", full_name="Contadora Escala")
    workspace = workspace_create(owner=user, name="Escala")
    made = 0
    print(
        f"Many companies on one server ({default_processes()} migration processes; "
        f"{os.cpu_count()} cores, PostgreSQL {server_version()}):"
    )
    for step in steps:
        grow_ms = companies_build(workspace, start=made, count=step - made) if step > made else 0.0
        made = step

        def one_more(index, step=step):
            tax_id = str(800_000_000 + step * 10 + index)
            company = Company.objects.create(
                name=f"Empresa Nueva {step}-{index}", tax_id=tax_id, check_digit=nit.calc_check_digit(tax_id)
            )
            CompanyAccess.objects.create(workspace=workspace, company=company, status="active")
            begin = time.perf_counter()
            company_provision(company_id=company.pk)
            return (time.perf_counter() - begin) * 1000

        one_more(0)  # the first after a migration change builds the template: not what a signup pays
        provision_ms = statistics.median(one_more(index) for index in range(1, 6))
        catalog = catalog_figures()
        backup = backup_figure()
        web = web_figures(user)

        migration = migration_add(package, step)
        migration_state_key.cache_clear()
        schemas = Company.objects.filter(provisioning_status="ready").count()
        begin = time.monotonic()
        run = companies_migrate(processes=default_processes())
        migrate_s = time.monotonic() - begin
        assert not run.failures, run.failures[:3]
        assert run.count("migrated") == schemas, run.progress_line()

        print(
            f"\n{schemas:,} company schemas ({step:,} built at {grow_ms:.0f} ms each, 5 per transaction, "
            "and the ones provisioned one by one):"
        )
        print(f"  provision one more (company_provision, with the chart) {provision_ms:8.0f} ms")
        print(
            f"  one new migration over all ({migration})  {migrate_s:8.1f} s "
            f"({1000 * migrate_s / schemas:.0f} ms per schema)"
        )
        print(
            f"  catalog: {catalog['relations']:,} relations, {catalog['attributes']:,} pg_attribute rows, "
            f"pg_catalog {catalog['catalog_mb']:.0f} MB, database {catalog['database_mb']:.0f} MB"
        )
        print(f"  backup (scripts/backup.sh's pg_dump, structure only): {backup}")
        print(
            f"  company list (/contador/, {web['linked']:,} linked): first {web['first_ms']:.0f} ms, "
            f"median {web['median_ms']:.0f} ms"
        )
        print(
            f"  web worker RSS: after the list {web['rss_list']:.0f} MB, "
            f"after entering {web['entered']} companies {web['rss_entered']:.0f} MB; its PostgreSQL "
            f"backend {web['backend_start']:.0f} -> {web['backend_entered']:.0f} MB"
        )
        sys.stdout.flush()


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def companies_build(workspace, *, start: int, count: int, batch: int = 5) -> float:
    """`count` ready companies linked to the workspace, schemas replayed from the template in batches."""
    from django.db import OperationalError, connection, transaction
    from django.utils import timezone
    from stdnum.co import nit

    from firms.models import Company, CompanyAccess
    from firms.services.provisioning import schema_replay, schema_template

    template = schema_template()
    begin = time.perf_counter()
    for first in range(start, start + count, batch):
        companies = []
        for index in range(first, min(first + batch, start + count)):
            tax_id = str(100_000_000 + index)
            company = Company(
                name=f"Empresa Escala {index:05d} S.A.S.",
                tax_id=tax_id,
                check_digit=nit.calc_check_digit(tax_id),
                provisioning_status=Company.Provisioning.READY,
                provisioned_at=timezone.now(),
            )
            company.fill_derived_fields()
            companies.append(company)
        for attempt in range(3):
            try:
                with transaction.atomic():
                    for company in companies:
                        schema_replay(schema_name=company.schema_name, template=template)
                    Company.objects.bulk_create(companies)
                    CompanyAccess.objects.bulk_create(
                        [CompanyAccess(workspace=workspace, company=c, status="active") for c in companies]
                    )
                break
            except OperationalError:  # "out of shared memory": the lock table is shared by every session
                if attempt == 2:
                    raise
                time.sleep(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE firms_company; ANALYZE firms_companyaccess")
    return (time.perf_counter() - begin) * 1000 / count


def catalog_figures() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute),
                      (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                       JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'),
                      pg_database_size(current_database())"""
        )
        relations, attributes, catalog, database = cursor.fetchone()
    return {
        "relations": relations,
        "attributes": attributes,
        "catalog_mb": catalog / 2**20,
        "database_mb": database / 2**20,
    }


def backup_figure() -> str:
    """pg_dump locks every table in one transaction: past max_locks_per_transaction x max_connections
    table locks (16 tables a company) it fails, whatever the disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_locks_per_transaction")
        locks = cursor.fetchone()[0]
    begin = time.monotonic()
    result = subprocess.run(
        [
            shutil.which("pg_dump") or "pg_dump",
            "--schema-only",
            "--format=custom",
            "--file=/dev/null",
            "--no-sync",
            f"--dbname={os.environ['DATABASE_URL']}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        reason = "out of shared memory" if "shared memory" in result.stderr else result.stderr.strip()[:200]
        return f"FAILS ({reason}; max_locks_per_transaction = {locks})"
    return f"{time.monotonic() - begin:.1f} s (max_locks_per_transaction = {locks})"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_figures(user, *, requests: int = 20, enter: int = 200) -> dict:
    """A gunicorn worker of its own: the company list's time, the worker's and its backend's memory."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from firms.models import Company

    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(WORK), str(ROOT)]),
    }
    master = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "accountant_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )

    def get(path: str) -> float:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
        begin = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own server)
            response.read()
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - begin) * 1000

    def backend_mb() -> float:
        with connection.cursor() as cursor:  # the worker's connection: the one that is not ours
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY backend_start DESC"
            )
            pids = [row[0] for row in cursor.fetchall()]
        return max((_rss_mb(pid) for pid in pids), default=0.0)

    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        worker = int(Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()[0])
        figures = {"first_ms": get("/contador/")}
        figures["backend_start"] = backend_mb()
        figures["median_ms"] = statistics.median(get("/contador/") for _ in range(requests))
        figures["rss_list"] = _rss_mb(worker)
        slugs = list(
            Company.objects.filter(provisioning_status="ready").values_list("slug", flat=True)[:enter]
        )
        for slug in slugs:
            get(f"/c/{slug}/")
        figures.update(
            entered=len(slugs),
            rss_entered=_rss_mb(worker),
            backend_entered=backend_mb(),
            linked=user.workspace_memberships.get().workspace.accesses.count(),
        )
        return figures
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=30)


if __name__ == "__main__":
    main()
