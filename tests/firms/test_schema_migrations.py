"""migrate_companies: every ready company schema, in worker processes, resumable after a failure."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from firms.services.provisioning import company_provision
from tests.factories import CompanyFactory
from tests.schemas import drop_schema, latest_books_migration, schema_columns, unapply_latest_books_migration

# Worker processes see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def _applied(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s',
            ["books", latest_books_migration()[0]],
        )
        return cursor.fetchone() is not None


@pytest.fixture
def behind():
    """Two ready companies one migration behind; the second one's migration will fail."""
    companies = [CompanyFactory(name="Atrasada Uno"), CompanyFactory(name="Atrasada Dos")]
    for company in companies:
        company_provision(company_id=company.pk)
    ok, broken = (c.schema_name for c in companies)
    unapply_latest_books_migration(ok)
    unapply_latest_books_migration(broken, keep_changes=True)
    yield ok, broken
    drop_schema(ok, broken)


def _run(*schemas):
    out, err = io.StringIO(), io.StringIO()
    args = ["--processes", "2", *(f"--schema={s}" for s in schemas)]
    try:
        call_command("migrate_companies", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_migrate_companies_records_a_failure_and_a_second_run_finishes_only_the_rest(behind):
    ok, broken = behind
    code, out, err = _run(ok, broken)
    assert code == 1
    assert _applied(ok) and not _applied(broken)
    assert f"{broken}: " in err and "already exists" in err
    assert "2/2 schemas: 1 migrated, 0 already up to date, 1 failed" in out

    with connection.cursor() as cursor:  # the cause fixed: the migration is reversed for real
        cursor.execute(
            f'INSERT INTO "{broken}".django_migrations (app, name, applied) VALUES (%s, %s, now())',
            ["books", latest_books_migration()[0]],
        )
    unapply_latest_books_migration(broken)
    code, out, err = _run(ok, broken)
    assert code == 0, err
    assert "2/2 schemas: 1 migrated, 1 already up to date, 0 failed" in out
    assert "2 company schemas up to date." in out
    assert _applied(ok) and _applied(broken)
    assert schema_columns(broken) == schema_columns(
        ok
    )  # the migration's changes are there, as in the other schema


def test_migrate_companies_skips_every_schema_already_up_to_date(company_pena):
    code, out, _ = _run(company_pena.schema_name)
    assert code == 0
    assert "1/1 schemas: 0 migrated, 1 already up to date, 0 failed" in out
