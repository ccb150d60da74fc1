"""The two database roles (core.database): what the app role may not do, refused by PostgreSQL itself, and
the app working end to end as that role (requests, posting, the worker's provisioning and balance check)."""

from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from books.models import AccountBalance, Entry, VoucherType
from books.tasks import balances_check_company_task
from core.database import connected_as, two_roles
from firms.models import AuditEvent, Company, CompanyAccess
from firms.tasks import company_provision_task

from ..books.conftest import post
from ..factories import CompanyAccessFactory, CompanyFactory
from ..schemas import app_connection, drop_schema


@pytest.fixture
def app_sql(company_pena):
    """Raw SQL on the test database as the app role, with a committed company schema to aim at."""
    assert two_roles(), "make test sources scripts/services.sh, which exports two roles' URLs"
    with app_connection() as conn:
        conn.execute(f'SET search_path TO "{company_pena.schema_name}", public')
        yield conn


REFUSED_TO_THE_APP = [
    # The rules' triggers cannot be switched off, by table or for the session.
    "SET session_replication_role = replica",
    "ALTER TABLE books_entryline DISABLE TRIGGER books_lines_updated",
    "ALTER TABLE books_entry DISABLE TRIGGER ALL",
    "ALTER TABLE firms_auditevent DISABLE TRIGGER firms_auditevent_no_change",
    "DROP TRIGGER books_entry_guard ON books_entry",
    "ALTER FUNCTION books_balances_follow() SECURITY INVOKER",
    "CREATE OR REPLACE FUNCTION books_no_truncate() RETURNS trigger LANGUAGE plpgsql"
    " AS $$BEGIN RETURN NULL; END$$",
    # Nothing is emptied at once.
    "TRUNCATE firms_auditevent",
    "TRUNCATE books_entryline",
    "TRUNCATE books_entry CASCADE",
    "TRUNCATE books_balance",
    # The kept balances are written only by the posting trigger.
    "UPDATE books_balance SET debit = debit + 1",
    "UPDATE books_accountbalance SET credit = 0",
    "DELETE FROM books_accountdaybalance",
    "INSERT INTO books_accountbalance (account_id, period, debit, credit)"
    " VALUES ('110505', '2026-01-01', 1, 0)",
    # The activity log only grows.
    "UPDATE firms_auditevent SET summary = ''",
    "DELETE FROM firms_auditevent",
    # The app owns nothing and creates no schemas.
    "CREATE SCHEMA c_intruso",
    "DROP TABLE books_balance",
    "ALTER TABLE books_entryline ADD COLUMN x int",
]


@pytest.mark.parametrize("statement", REFUSED_TO_THE_APP)
def test_the_app_role_cannot_undo_the_databases_promises(app_sql, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_sql.execute(statement)


def test_the_app_role_is_no_superuser_and_owns_nothing(app_sql):
    role = settings.DATABASE_APP["USER"]
    assert role != settings.DATABASE_OWNER["USER"]
    superuser, createdb, createrole = app_sql.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert (superuser, createdb, createrole) == (False, False, False)
    owned = app_sql.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) FROM pg_roles r WHERE rolname = %s",
        [role],
    ).fetchone()[0]
    assert owned == 0


def test_the_app_role_reads_and_writes_what_the_app_needs(app_sql):
    assert app_sql.execute("SELECT count(*) FROM books_account").fetchone()[0] > 0
    assert app_sql.execute("SELECT count(*) FROM books_accountbalance").fetchone()[0] >= 0
    app_sql.execute("BEGIN")
    app_sql.execute("UPDATE books_account SET name = name WHERE code = '110505'")
    app_sql.execute("INSERT INTO books_costcenter SELECT * FROM books_costcenter WHERE false")
    app_sql.execute("DELETE FROM books_entry WHERE status = 'draft' AND false")
    app_sql.execute("INSERT INTO firms_auditevent SELECT * FROM firms_auditevent WHERE false")
    app_sql.execute("ROLLBACK")


def test_even_the_owner_cannot_empty_the_activity_log_or_the_kept_balances(db, company_pena, accountant):
    """Whoever asks (here the owner role the tests run as), TRUNCATE is refused by the tables' triggers."""
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE firms_auditevent")
    with schema_context(company_pena.schema_name):
        post(accountant, [("110505", "10", 0), ("413595", 0, "10")])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the posting's deferred checks, done
        for table in ("books_balance", "books_accountbalance", "books_accountdaybalance"):
            with pytest.raises(DatabaseError, match="cannot be emptied"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {table}")


@pytest.fixture
def new_company(transactional_db):
    company = CompanyFactory(name="Tostadora El Rol S.A.S.")
    yield company
    drop_schema(company.schema_name)


def test_the_app_runs_as_the_app_role_from_first_visit_to_nightly_check(
    client, accountant, workspace, new_company
):
    """Web requests as the app role: a new company waits for the worker, whose provisioning runs as the
    owner; then posting writes the kept balances through the trigger, annulling logs the activity, and the
    nightly check (as the owner again) finds the balances equal to the lines."""
    CompanyAccessFactory(workspace=workspace, company=new_company, status=CompanyAccess.Status.ACTIVE)
    client.force_login(accountant)
    home = f"/c/{new_company.slug}/"
    with connected_as(settings.DATABASE_APP):
        assert connection.settings_dict["USER"] == settings.DATABASE_APP["USER"]
        waiting = client.get(home)
        assert waiting.status_code == 202 and "Preparando la empresa" in waiting.content.decode()
        assert waiting["Retry-After"] == "3"
        new_company.refresh_from_db()
        assert new_company.provisioning_status == Company.Provisioning.PENDING  # nothing created by the web

        company_provision_task.apply(args=[new_company.pk]).get()  # the worker, through the owner's URL
        assert connection.settings_dict["USER"] == settings.DATABASE_APP["USER"]  # and back
        assert client.get(home).status_code == 200

        with schema_context(new_company.schema_name):
            cc = VoucherType.objects.get(code="CC").pk
        form = {"voucher_type": cc, "date": "2026-03-10", "description": "Venta", "action": "post"}
        form |= {"lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0"}
        form |= {"lines-0-account": "110505", "lines-0-debit": "1.000,00"}
        form |= {"lines-1-account": "413595", "lines-1-credit": "1.000,00"}
        assert client.post(f"{home}comprobantes/nuevo/", form).status_code == 302
        with schema_context(new_company.schema_name):
            entry = Entry.objects.get()
            assert AccountBalance.objects.get(account_id="110505").debit == Decimal("1000.00")
        annulled = client.post(f"{home}comprobantes/{entry.pk}/anular/", {"reason": "Duplicado"})
        assert annulled.status_code == 302
        with schema_context(new_company.schema_name):
            assert AccountBalance.objects.get(account_id="110505").debit == Decimal("0.00")
        assert AuditEvent.objects.filter(company=new_company, action="entry.annulled").exists()
        assert client.get(f"{home}informes/balance-de-prueba/").status_code == 200

        assert balances_check_company_task.apply(args=[new_company.pk]).get() == 0
        assert connection.settings_dict["USER"] == settings.DATABASE_APP["USER"]


def test_a_company_the_worker_could_not_prepare_says_so_and_is_not_queued_at_every_refresh(
    client, accountant, workspace, new_company, monkeypatch
):
    CompanyAccessFactory(workspace=workspace, company=new_company, status=CompanyAccess.Status.ACTIVE)
    Company.objects.filter(pk=new_company.pk).update(provisioning_status=Company.Provisioning.FAILED)
    queued = []
    monkeypatch.setattr(
        "firms.middleware.company_provision_later", lambda company_ids: queued.append(company_ids)
    )
    client.force_login(accountant)
    with connected_as(settings.DATABASE_APP):
        page = client.get(f"/c/{new_company.slug}/")
    assert page.status_code == 503
    assert "No se pudieron preparar los libros de la empresa" in page.content.decode()
    assert queued == []  # the beat job tries again (provision_pending_companies_task), not this page
