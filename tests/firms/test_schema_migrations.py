"""migrate_companies: every ready company schema, in worker processes, resumable after a failure."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from firms.services import company_provision
from tests.factories import CompanyFactory
from tests.schemas import drop_schema

# Worker processes see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

LAST = ("books", "0011_report_export_progress_at")


def _applied(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT 1 FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s', LAST)
        return cursor.fetchone() is not None


def _unapply_last(schema_name: str, *, drop_column: bool) -> None:
    """As if the latest migration were new; keeping its column makes it fail (the column exists)."""
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema_name}".django_migrations WHERE app = %s AND name = %s', LAST)
        if drop_column:
            cursor.execute(f'ALTER TABLE "{schema_name}".books_reportexport DROP COLUMN progress_at')


@pytest.fixture
def behind():
    """Two ready companies one migration behind; the second one's migration will fail."""
    companies = [CompanyFactory(name="Atrasada Uno"), CompanyFactory(name="Atrasada Dos")]
    for company in companies:
        company_provision(company_id=company.pk)
    ok, broken = (c.schema_name for c in companies)
    _unapply_last(ok, drop_column=True)
    _unapply_last(broken, drop_column=False)
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

    _unapply_last_fix = f'ALTER TABLE "{broken}".books_reportexport DROP COLUMN progress_at'
    with connection.cursor() as cursor:  # the cause fixed
        cursor.execute(_unapply_last_fix)
    code, out, err = _run(ok, broken)
    assert code == 0, err
    assert "2/2 schemas: 1 migrated, 1 already up to date, 0 failed" in out
    assert "2 company schemas up to date." in out
    assert _applied(ok) and _applied(broken)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'books_reportexport' AND column_name = 'progress_at'",
            [broken],
        )
        assert cursor.fetchone()[0] == 1


def test_migrate_companies_skips_every_schema_already_up_to_date(company_pena):
    code, out, _ = _run(company_pena.schema_name)
    assert code == 0
    assert "1/1 schemas: 0 migrated, 1 already up to date, 0 failed" in out
