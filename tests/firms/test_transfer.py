"""company_export / company_import: one company moved to another database intact, or not at all."""

import csv
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection
from django_tenants.utils import schema_context, schema_exists

from firms.models import Company, CompanyAccess, CompanyMember
from firms.services.transfer import CompanyTransferError, company_export, company_import
from tests.schemas import (
    app_connection,
    drop_schema,
    schema_columns,
    subprocess_database_url,
    unapply_latest_books_migration,
)

# pg_dump reads committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
PERIOD = ["--from", "2026-01-01", "--to", "2026-12-31"]


def _trial_balance(company) -> str:
    out = io.StringIO()
    call_command("trial_balance", "--company", company.tax_id, *PERIOD, stdout=out)
    return out.getvalue()


def _schema_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'c\\_%'")
        return cursor.fetchone()[0]


def _manage(*args, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def other_database(django_db_setup, django_db_blocker):
    """Another installation: a database of its own with the public schema migrated."""
    with django_db_blocker.unblock():
        url = subprocess_database_url()
    name = url.rsplit("/", 1)[1] + "_other"
    admin = dict(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True)
    base, _, _ = url.rpartition("/")
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{settings.DATABASE_OWNER["USER"]}"')
    try:
        result = _manage("migrate_schemas", "--shared", "-v0", database_url=f"{base}/{name}")
        assert result.returncode == 0, result.stderr
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_company_moved_to_another_database_keeps_its_trial_balance_and_its_ledger_rules(
    company_with_books, other_database, tmp_path
):
    file = tmp_path / "empresa.tar"
    call_command("company_export", "--company", company_with_books.slug, str(file), stdout=io.StringIO())

    result = _manage("company_import", str(file), database_url=other_database)
    assert result.returncode == 0, result.stderr
    assert "members=1 users_created=1 accesses=0" in result.stdout
    moved = _manage(
        "trial_balance", "--company", company_with_books.tax_id, *PERIOD, database_url=other_database
    )
    assert moved.returncode == 0, moved.stderr
    before = _trial_balance(company_with_books)
    assert moved.stdout == before
    rows = list(csv.DictReader(io.StringIO(before)))
    assert {row["code"]: row["credit"] for row in rows}["413595"] == "2500099.99"

    with psycopg.connect(other_database, autocommit=True) as conn:
        schema, status = conn.execute(
            "SELECT schema_name, provisioning_status FROM firms_company WHERE tax_id = %s",
            [company_with_books.tax_id],
        ).fetchone()
        assert schema != company_with_books.schema_name and schema.startswith("c_")
        assert status == "ready"
        assert conn.execute(f'SELECT count(*) FROM "{schema}".books_entry').fetchone()[0] == 3
        with pytest.raises(psycopg.errors.CheckViolation, match="never change"):
            conn.execute(f'UPDATE "{schema}".books_entryline SET debit = debit + 1 WHERE debit > 0')
        # The next comprobante continues the consecutive; identity sequences came along.
        next_id = conn.execute(f"SELECT nextval(pg_get_serial_sequence('\"{schema}\".books_entry', 'id'))")
        assert next_id.fetchone()[0] > 3
    assert _manage("company_import", str(file), database_url=other_database).returncode != 0  # tax ID exists


def test_company_round_trip_maps_members_and_workspace_accesses_by_email(
    company_with_books, workspace, tmp_path, request
):
    file = tmp_path / "empresa.tar"
    company_export(company=company_with_books, path=file)
    before = _trial_balance(company_with_books)
    old_schema, slug = company_with_books.schema_name, company_with_books.slug
    Company.objects.filter(pk=company_with_books.pk).delete()
    drop_schema(old_schema)

    report = company_import(path=file)

    company = report.company
    request.addfinalizer(lambda: drop_schema(company.schema_name))
    assert company.schema_name != old_schema and company.slug == slug and company.is_ready
    assert (report.members, report.users_created, report.accesses) == (1, [], 1)
    assert CompanyMember.objects.get(company=company).user.email == "gerente@mudanza.example"
    assert CompanyAccess.objects.get(company=company).workspace == workspace
    assert _trial_balance(company) == before
    with schema_context(company.schema_name), connection.cursor() as cursor:
        with pytest.raises(IntegrityError, match="never change"):
            cursor.execute("UPDATE books_entryline SET description = 'cambiada'")
    with app_connection() as app:  # the app role may use the imported schema as a provisioned one
        assert app.execute(f'SELECT count(*) FROM "{company.schema_name}".books_entry').fetchone() == (3,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute(f'UPDATE "{company.schema_name}".books_balance SET debit = 0')


def test_company_import_refuses_a_tax_id_that_exists_and_creates_nothing(company_with_books, tmp_path):
    file = tmp_path / "empresa.tar"
    company_export(company=company_with_books, path=file)
    companies, schemas = Company.objects.count(), _schema_count()
    with pytest.raises(CompanyTransferError, match=company_with_books.tax_id):
        company_import(path=file)
    assert (Company.objects.count(), _schema_count()) == (companies, schemas)


def test_company_import_that_fails_half_way_leaves_nothing_behind(company_with_books, tmp_path, monkeypatch):
    file = tmp_path / "empresa.tar"
    company_export(company=company_with_books, path=file)
    Company.objects.filter(pk=company_with_books.pk).delete()
    companies, schemas = Company.objects.count(), _schema_count()
    real_execute = __import__("firms.services.transfer", fromlist=["_execute"])._execute

    def execute_then_fail(parts):
        real_execute(parts)  # the schema and its rows are there ...
        raise RuntimeError("disk full")  # ... when something fails

    monkeypatch.setattr("firms.services.transfer._execute", execute_then_fail)
    with pytest.raises(RuntimeError):
        company_import(path=file)
    assert (Company.objects.count(), _schema_count()) == (companies, schemas)
    assert not CompanyMember.objects.filter(user__email="gerente@mudanza.example").exists()
    assert schema_exists(company_with_books.schema_name)  # only the original, untouched


def test_company_import_refuses_a_file_that_is_not_an_export(db, tmp_path):
    file = tmp_path / "otra.tar"
    file.write_bytes(b"no es un tar")
    with pytest.raises(CompanyTransferError):
        company_import(path=file)


def test_a_file_from_older_code_gets_this_versions_migrations(company_with_books, tmp_path, request):
    columns = schema_columns(company_with_books.schema_name)
    unapply_latest_books_migration(company_with_books.schema_name)  # as if exported before it
    file = tmp_path / "vieja.tar"
    company_export(company=company_with_books, path=file)
    Company.objects.filter(pk=company_with_books.pk).delete()

    report = company_import(path=file)

    request.addfinalizer(lambda: drop_schema(report.company.schema_name))
    assert report.migrated
    assert schema_columns(report.company.schema_name) == columns


def test_a_file_from_newer_code_is_refused(company_with_books, tmp_path):
    file, newer = tmp_path / "empresa.tar", tmp_path / "nueva.tar"
    company_export(company=company_with_books, path=file)
    with tarfile.open(file) as source, tarfile.open(newer, "w") as target:
        manifest = json.load(source.extractfile("manifest.json"))
        manifest["migrations"].append(["books", "9999_from_the_future"])
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        target.addfile(info, io.BytesIO(data))
        target.addfile(source.getmember("schema.dump"), source.extractfile("schema.dump"))
    Company.objects.filter(pk=company_with_books.pk).delete()
    with pytest.raises(CompanyTransferError, match="9999_from_the_future"):
        company_import(path=newer)
    assert not Company.objects.filter(tax_id=company_with_books.tax_id).exists()
