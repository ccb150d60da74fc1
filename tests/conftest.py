"""Shared fixtures. Company schemas are costly: the ones tests share are provisioned once per session."""

import importlib
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists
from stdnum.co import nit

from firms.models import Company, CompanyAccess
from firms.services.provisioning import company_provision

from .factories import (
    CompanyAccessFactory,
    CompanyFactory,
    CompanyMemberFactory,
    UserFactory,
    WorkspaceMemberFactory,
)
from .schemas import drop_schema

PASSWORD = "clave-segura-123"


@dataclass(frozen=True)
class SharedCompany:
    schema_name: str
    name: str
    country: str
    tax_id: str
    check_digit: str


# Provisioned once per test session (schema created, migrated and seeded).
SHARED_COMPANIES = {
    "pena": SharedCompany("c_test_pena", "Panadería Peña Hermanos S.A.S.", "CO", "900123456", "8"),
    "andes": SharedCompany("c_test_andes", "Distribuidora Los Andes Ltda.", "CO", "860002964", "4"),
    "mx": SharedCompany("c_test_mx", "Comercializadora del Norte S.A. de C.V.", "MX", "ABC680524P76", ""),
}


def _shared_company_row(spec: SharedCompany) -> Company:
    company = Company.objects.filter(schema_name=spec.schema_name).first()
    if company is not None:
        return company
    # A transactional test may have flushed the row; the schema survives, so the row is made ready again,
    # in the public schema even when a fixture has already entered another company.
    company = Company(
        schema_name=spec.schema_name,
        name=spec.name,
        country=spec.country,
        tax_id=spec.tax_id,
        check_digit=spec.check_digit,
        sector="C",
        tax_responsibilities=["05", "42", "48"] if spec.country == "CO" else [],
        provisioning_status=Company.Provisioning.READY if schema_exists(spec.schema_name) else "pending",
    )
    with schema_context(get_public_schema_name()):
        company.save()
    return company


@pytest.fixture(scope="session", autouse=True)
def _flush_empties_the_activity_log():
    """Between transactional tests Django empties every table with one TRUNCATE, which the activity log's
    trigger refuses (tests/core/test_database.py): in the test database only, the owner role lets that
    statement past the trigger, in the flush's own transaction."""
    ops = type(connection.ops)
    flush = ops.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE public.firms_auditevent DISABLE TRIGGER firms_auditevent_no_truncate")
            flush(self, sql_list)
            cursor.execute("ALTER TABLE public.firms_auditevent ENABLE TRIGGER firms_auditevent_no_truncate")

    ops.execute_sql_flush = execute_sql_flush
    yield
    ops.execute_sql_flush = flush


@pytest.fixture(scope="session", autouse=True)
def _clean_redis():
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def empty_queue():
    """Workers started by a test see only what that test queues."""
    from accountant_portal.celery import app

    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture(scope="session")
def shared_schemas(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for spec in SHARED_COMPANIES.values():
            company = _shared_company_row(spec)
            if not company.is_ready:
                company_provision(company_id=company.pk)
        connection.set_schema_to_public()


def _company(key: str) -> Company:
    return _shared_company_row(SHARED_COMPANIES[key])


@contextmanager
def module_books(spec: SharedCompany, django_db_blocker):
    """A company's books of their own for a test module whose tests commit (threads, workers: the shared
    companies stay untouched), provisioned once: each transactional test's flush empties the public tables,
    the schema template with them, and provisioning again would rebuild it. Dropped at the end."""
    spec = replace(spec, check_digit=nit.calc_check_digit(spec.tax_id))
    with django_db_blocker.unblock():
        company = _shared_company_row(spec)
        if not company.is_ready:
            company_provision(company_id=company.pk)
        connection.set_schema_to_public()
    try:
        yield spec
    finally:
        with django_db_blocker.unblock():
            drop_schema(spec.schema_name)


@pytest.fixture
def company_pena(shared_schemas, db) -> Company:
    return _company("pena")


@pytest.fixture
def company_andes(shared_schemas, db) -> Company:
    return _company("andes")


@pytest.fixture
def company_mx(shared_schemas, db) -> Company:
    return _company("mx")


@pytest.fixture
def accountant(db):
    """An accountant who owns a workspace on trial."""
    return WorkspaceMemberFactory().user


@pytest.fixture
def workspace(accountant):
    return accountant.workspace_memberships.get().workspace


@pytest.fixture
def outsider(db):
    """Another workspace's accountant."""
    return WorkspaceMemberFactory().user


@pytest.fixture
def linked_company(workspace, company_pena, accountant) -> Company:
    CompanyAccessFactory(workspace=workspace, company=company_pena, status=CompanyAccess.Status.ACTIVE)
    return company_pena


@pytest.fixture
def client_member(company_andes):
    """A client user who owns company_andes (and is not an accountant)."""
    return CompanyMemberFactory(company=company_andes, user=UserFactory()).user


@pytest.fixture
def accountant_client(client, accountant):
    client.force_login(accountant)
    return client


REFERENCE_DATA_MIGRATIONS = ["0002_reference_data", "0003_personas_naturales_resource_tool"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Data that migrations load (the obligations mapping, the día cívico): a transactional test's flush
    empties those tables, so the tests that use the database get them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    )
    if not transactional and marker is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    if not apps.get_model("indicators", "TaxObligation").objects.exists():
        for migration in REFERENCE_DATA_MIGRATIONS:
            importlib.import_module(f"indicators.migrations.{migration}").load(apps, None)


@pytest.fixture(autouse=True)
def _public_schema():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in its thread (the language middleware activates it):
    the next test starts in the default language again."""
    yield
    translation.deactivate()


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of the test's own, on a free port, that the test can kill and start again."""
    import core.cache

    from .outages import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait(timeout=10)
    core.cache._down_until["at"] = 0.0  # the next test's cache starts with Redis again


@pytest.fixture
def company_with_books(workspace):
    """A company of its own with three posted comprobantes, a client owner and the workspace's access: for
    tests that need committed books (backups, moves) without touching the shared companies' ledgers."""
    from datetime import date

    from django_tenants.utils import schema_context

    from .books.conftest import post
    from .schemas import drop_schema

    company = company_provision(company_id=CompanyFactory(name="Ferretería La Mudanza S.A.S.").pk)
    CompanyAccessFactory(workspace=workspace, company=company)
    CompanyMemberFactory(company=company, user=UserFactory(email="gerente@mudanza.example"), role="owner")
    bookkeeper = UserFactory()
    with schema_context(company.schema_name):
        post(bookkeeper, [("110505", "2500000", 0), ("413595", 0, "2500000")], day=date(2026, 2, 3))
        post(bookkeeper, [("519530", "180000.50", 0), ("110505", 0, "180000.50")], day=date(2026, 3, 9))
        sale = [("130505", "99.99", 0), ("413595", 0, "99.99")]
        post(bookkeeper, sale, day=date(2026, 3, 31), voucher="FV")
    yield company
    drop_schema(company.schema_name)
