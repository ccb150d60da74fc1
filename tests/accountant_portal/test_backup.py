"""scripts/backup.sh and scripts/restore.sh: the whole database into a new one, books and rules intact."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.schemas import subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows only

ROOT = Path(settings.BASE_DIR)
PERIOD = ["--from", "2026-01-01", "--to", "2026-12-31"]


def _script(*args, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test",
    }
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _books(database_url: str) -> dict:
    """Per ready company: its tax ID, status and number of comprobantes, read straight from the database."""
    with psycopg.connect(database_url) as conn:
        companies = conn.execute(
            "SELECT schema_name, tax_id, name FROM firms_company WHERE provisioning_status = 'ready'"
        ).fetchall()
        return {
            (tax_id, name): conn.execute(
                f'SELECT count(*), max(number) FROM "{schema}".books_entry'
            ).fetchone()
            for schema, tax_id, name in companies
        }


@pytest.fixture
def restored(tmp_path):
    source = subprocess_database_url()
    name = source.rsplit("/", 1)[1] + "_restored"
    target = source.rsplit("/", 1)[0] + f"/{name}"
    yield source, name, target
    with psycopg.connect(source.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restored_into_a_new_database_has_the_same_companies_comprobantes_and_trial_balances(
    company_with_books, restored, tmp_path
):
    source, name, target = restored
    file = tmp_path / "portal.dump"
    backup = _script("scripts/backup.sh", str(file), database_url=source)
    assert backup.returncode == 0, backup.stderr
    # Restored by the owner role; the app role of DATABASE_URL gets its privileges in the new database.
    app_user, owner_user = settings.DATABASE_APP["USER"], settings.DATABASE_OWNER["USER"]
    as_app = source.replace(f"//{owner_user}@", f"//{app_user}@")
    restore = _script("scripts/restore.sh", str(file), name, database_url=as_app)
    assert restore.returncode == 0, restore.stderr
    schema = company_with_books.schema_name
    with psycopg.connect(target.replace(f"//{owner_user}@", f"//{app_user}@"), autocommit=True) as conn:
        assert conn.execute(f'SELECT count(*) FROM "{schema}".books_entry').fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM firms_company").fetchone()[0] >= 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'UPDATE "{schema}".books_balance SET debit = 0')

    before, after = _books(source), _books(target)
    assert after == before
    assert before[(company_with_books.tax_id, company_with_books.name)][0] == 3
    out = io.StringIO()
    call_command("trial_balance", "--company", company_with_books.tax_id, *PERIOD, stdout=out)
    moved = _script(
        sys.executable,
        "manage.py",
        "trial_balance",
        "--company",
        company_with_books.tax_id,
        *PERIOD,
        database_url=target,
    )
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout == out.getvalue()
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) > 3
    with psycopg.connect(target, autocommit=True) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(f'UPDATE "{company_with_books.schema_name}".books_entryline SET debit = debit + 1')


def test_restore_refuses_a_database_that_exists(restored, tmp_path):
    source, _name, _target = restored
    file = tmp_path / "x.dump"
    file.write_bytes(b"")
    result = _script("scripts/restore.sh", str(file), source.rsplit("/", 1)[1], database_url=source)
    assert result.returncode != 0 and "already exists" in result.stderr
