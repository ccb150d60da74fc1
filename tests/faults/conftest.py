"""Faults with real processes: Celery workers killed with SIGKILL, a Redis and an SMTP server of the test's
own, stopped and started again. Each test starts what it needs and stops it, whatever happens."""

import pytest

from firms.models import CompanyAccess
from tests.conftest import SharedCompany, _shared_company_row, module_books
from tests.factories import WorkspaceMemberFactory
from tests.outages import SmtpServer, kill_worker, start_worker_process


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
    """A worker posts into these books (tests.conftest.module_books)."""
    with module_books(BOOKS, django_db_blocker) as spec:
        yield spec


@pytest.fixture
def books_company(books_schema, transactional_db):
    """That company (its row made again after a flush) and an accountant of a workspace linked to it."""
    company = _shared_company_row(books_schema)
    member = WorkspaceMemberFactory()
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    return member.user, company
