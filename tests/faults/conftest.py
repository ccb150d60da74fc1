"""Faults with real processes: Celery workers killed with SIGKILL, a Redis and an SMTP server of the test's
own, stopped and started again. Each test starts what it needs and stops it, whatever happens."""

import pytest
from django_tenants.utils import schema_context

from firms.models import CompanyAccess
from firms.services import company_provision
from tests.factories import CompanyFactory, WorkspaceMemberFactory
from tests.outages import SmtpServer, start_worker_process, stop_worker
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
        stop_worker(worker)


@pytest.fixture
def smtp_server(tmp_path):
    server = SmtpServer(tmp_path / "smtp")
    yield server
    server.stop()


@pytest.fixture
def books_company():
    """A company of its own with its books provisioned, and the accountant who keeps them (a worker posts
    into its schema: the shared companies stay untouched). The schema is dropped at the end."""
    member = WorkspaceMemberFactory()
    company = CompanyFactory(name="Ferretería El Tornillo S.A.S.")
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    company = company_provision(company_id=company.pk)
    yield member.user, company
    with schema_context("public"):
        drop_schema(company.schema_name)
