"""Faults with real processes: Celery workers killed with SIGKILL, a Redis and an SMTP server of the test's
own, stopped and started again. Each test starts what it needs and stops it, whatever happens."""

from dataclasses import replace

import pytest
from django.db import connection
from stdnum.co import nit

from firms.models import CompanyAccess
from firms.services import company_provision
from tests.conftest import SharedCompany, _shared_company_row
from tests.factories import WorkspaceMemberFactory
from tests.outages import SmtpServer, kill_worker, start_worker_process
from tests.schemas import drop_schema


@pytest.fixture
def workers(tmp_path):
    """start(**env) starts a real worker (tests.outages.start_worker_process); all are stopped at the end.
    log() is what they wrote, for the assertions' messages."""
    started = []
    log_path = tmp_path / "worker.log"

    class Workers:
        @staticmethod
        def start(**env):
            started.append(start_worker_process(log_path, **env))
            return started[-1]

        @staticmethod
        def log() -> str:
            return log_path.read_text()[-4000:] if log_path.exists() else ""

    yield Workers
    for worker in started:
        if worker.poll() is None:
            kill_worker(worker)  # a warm shutdown waits for the retries it holds; nothing here needs one


@pytest.fixture
def smtp_server(tmp_path):
    server = SmtpServer(tmp_path / "smtp")
    yield server
    server.stop()


BOOKS = SharedCompany("c_test_faults", "Ferretería El Tornillo S.A.S.", "CO", "901555111", "")


@pytest.fixture(scope="module")
def books_schema(django_db_setup, django_db_blocker):
    """A company's books of their own for a module (a worker posts into them: the shared companies stay
    untouched), provisioned once: each transactional test's flush empties the public tables, the schema
    template with them, and provisioning again would rebuild it. Dropped at the end of the module."""
    spec = replace(BOOKS, check_digit=nit.calc_check_digit(BOOKS.tax_id))
    with django_db_blocker.unblock():
        company = _shared_company_row(spec)
        if not company.is_ready:
            company_provision(company_id=company.pk)
        connection.set_schema_to_public()
    yield spec
    with django_db_blocker.unblock():
        drop_schema(spec.schema_name)


@pytest.fixture
def books_company(books_schema, transactional_db):
    """That company (its row made again after a flush) and an accountant of a workspace linked to it."""
    company = _shared_company_row(books_schema)
    member = WorkspaceMemberFactory()
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    return member.user, company
