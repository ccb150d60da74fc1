"""Requests at once on the same books, with real threads against PostgreSQL: a lock date set while
comprobantes are posted, six "Cerrar año" at once, two reversals or closings posted at once. No 500, and the
books stay right: the refusals are messages, and what the database's rules forbid does not happen.

Each race is made certain, not hoped for: another connection holds a row the requests need until all of them
are waiting on it (pg_stat_activity), then lets go.
"""

import threading
import time
from datetime import date

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import schema_context

from books.models import BooksSettings, Entry, PeriodEvent, VoucherType
from firms.models import CompanyAccess
from tests.conftest import SharedCompany, _shared_company_row, module_books
from tests.factories import UserFactory, WorkspaceMemberFactory
from tests.schemas import subprocess_database_url

from .conftest import draft, post

pytestmark = pytest.mark.django_db(transaction=True)

BOOKS = SharedCompany("c_test_ledger_races", "Ferretería La Carrera S.A.S.", "CO", "901555222", "")


@pytest.fixture(scope="module")
def books_schema(django_db_setup, django_db_blocker):
    with module_books(BOOKS, django_db_blocker) as spec:
        yield spec


@pytest.fixture
def books_company(books_schema, transactional_db):
    """That company (its row made again after a flush), no lock date, and an accountant who may post."""
    company = _shared_company_row(books_schema)
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Contadora"))
    CompanyAccess.objects.create(workspace=member.workspace, company=company, status="active")
    with schema_context(company.schema_name):
        BooksSettings.objects.update(lock_date=None)
    return member.user, company


def _other(company):
    """Another session on the same books (another user's request, half-way through its transaction)."""
    other = psycopg.connect(subprocess_database_url())
    other.execute(f'SET search_path TO "{company.schema_name}", public')
    return other


def _waiting() -> int:
    """Sessions of this database waiting for a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), what


class Requests:
    """Requests sent from threads, each with its own client and database connection."""

    def __init__(self, user):
        self.user = user
        self.threads: list[threading.Thread] = []
        self.responses: dict[str, list] = {}

    def start(self, name: str, path: str, data: dict) -> None:
        client = Client()
        client.force_login(self.user)

        def send():
            try:
                response = client.post(path, data)
            except Exception as error:  # the test client re-raises what would have been a 500
                response = error
            finally:
                connections.close_all()  # this thread's own connection
            self.responses.setdefault(name, []).append(response)

        thread = threading.Thread(target=send)
        self.threads.append(thread)
        thread.start()

    def finished(self) -> int:
        return sum(not thread.is_alive() for thread in self.threads)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)
        assert self.finished() == len(self.threads), "a request never ended"

    def of(self, name: str) -> list:
        errors = [r for r in self.responses.get(name, []) if isinstance(r, Exception)]
        assert not errors, f"server errors: {errors!r}"
        return self.responses[name]


def _entry_data(company, day: str) -> dict:
    with schema_context(company.schema_name):
        cc = VoucherType.objects.get(code="CC").pk
    return {
        "voucher_type": cc,
        "date": day,
        "description": "Venta de mostrador",
        "action": "post",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-account": "110505",
        "lines-0-debit": "100.000",
        "lines-1-account": "413595",
        "lines-1-credit": "100.000",
    }


POSTERS = 16


def test_a_lock_date_set_while_16_postings_wait_ends_without_a_server_error(books_company):
    """The issue's race: one user locks June while 16 post into it (13 of 16 were 500s). Each posting is
    under way (its lines checked against no lock date) when the lock is asked for."""
    accountant, company = books_company
    requests = Requests(accountant)
    with _other(company) as other:
        other.execute("SELECT 1 FROM books_vouchertype WHERE code = 'CC' FOR UPDATE")  # the consecutive: held
        for _n in range(POSTERS):
            requests.start(
                "post", f"/c/{company.slug}/comprobantes/nuevo/", _entry_data(company, "2026-06-10")
            )
        _until(lambda: _waiting() >= POSTERS, "the postings never reached the consecutive")
        requests.start("lock", f"/c/{company.slug}/periodos/", {"action": "lock", "until": "2026-06-30"})
        _until(lambda: _waiting() > POSTERS or requests.finished(), "the lock never started")
        other.rollback()
    requests.join()

    (locked,) = requests.of("lock")
    assert locked.status_code == 302
    posted = [r for r in requests.of("post") if r.status_code == 302]
    refused = [r for r in requests.of("post") if r.status_code != 302]
    assert len(posted) + len(refused) == POSTERS
    for response in refused:  # a message on the form, never a server error
        assert response.status_code == 200
        assert "Los libros están bloqueados hasta el 30/06/2026" in response.content.decode()
    with schema_context(company.schema_name):
        lock = PeriodEvent.objects.get(kind="lock", lock_date_after=date(2026, 6, 30))
        june = Entry.objects.filter(status="posted", date=date(2026, 6, 10))
        assert june.count() == len(posted)
        # Whatever was posted was posted before the lock: none after it, in a locked month.
        assert all(entry.posted_at < lock.at for entry in june)


def test_postings_under_way_when_a_lock_date_commits_are_refused_with_a_message(books_company):
    """Another user's lock of July is written but not committed; 16 postings into July wait for it, then
    each is refused with the form's message: none lands in the month that was locked meanwhile."""
    accountant, company = books_company
    requests = Requests(accountant)
    with _other(company) as other:
        other.execute("UPDATE books_bookssettings SET lock_date = '2026-07-31'")
        for _n in range(POSTERS):
            requests.start(
                "post", f"/c/{company.slug}/comprobantes/nuevo/", _entry_data(company, "2026-07-15")
            )
        _until(
            lambda: _waiting() >= POSTERS or requests.finished() == POSTERS,
            "the postings neither waited nor ended",
        )
        other.commit()
    requests.join()

    for response in requests.of("post"):
        assert response.status_code == 200
        assert "Los libros están bloqueados hasta el 31/07/2026" in response.content.decode()
    with schema_context(company.schema_name):
        assert not Entry.objects.filter(date=date(2026, 7, 15)).exclude(status="draft").exists()


def test_six_year_closings_at_once_make_one_closing_and_five_messages(books_company):
    accountant, company = books_company
    with schema_context(company.schema_name):
        post(accountant, [("519530", 300, 0), ("110505", 0, 300)], day=date(2024, 6, 1))
    requests = Requests(accountant)
    with _other(company) as other:
        other.execute("SELECT 1 FROM books_vouchertype WHERE code = 'CI' FOR UPDATE")  # the consecutive: held
        for _n in range(6):
            requests.start("close", f"/c/{company.slug}/periodos/", {"action": "close", "year": "2024"})
        _until(lambda: _waiting() >= 6, "the closings never met")
        other.rollback()
    requests.join()

    responses = requests.of("close")
    assert sorted(r.status_code for r in responses) == [200] * 5 + [302]
    with schema_context(company.schema_name):
        (closing,) = Entry.objects.filter(source="closing", status="posted", date__year=2024)
        assert closing.label == "CI-1"
        assert PeriodEvent.objects.filter(kind="close", entry=closing).count() == 1
    for response in responses:
        if response.status_code == 200:
            body = response.content.decode()
            # The lock on the settings row, the trigger or the unique index: whichever stopped it, a message.
            assert any(
                said in body
                for said in (
                    "2024 ya está cerrado con CI-1",
                    "2024 está cerrado con CI-1",
                    "Ese año ya está cerrado",
                )
            )


@pytest.mark.parametrize("kind", ["reversal", "closing"])
def test_two_reversals_or_two_closings_posted_at_once_by_sql_meet_the_unique_index(books_company, kind):
    """Two transactions post at once: neither trigger sees the other's row; PostgreSQL's unique index keeps
    one reversal in effect per comprobante and one closing a year."""
    accountant, company = books_company
    with schema_context(company.schema_name):
        if kind == "reversal":
            original = post(accountant, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 2, 3))
            drafts = [draft(accountant, [("110505", 0, 100), ("413595", 100, 0)], day=date(2026, 2, 4))]
            drafts.append(draft(accountant, [("110505", 0, 100), ("413595", 100, 0)], day=date(2026, 2, 4)))
            Entry.objects.filter(pk__in=[d.pk for d in drafts]).update(reversal_of=original)
            index = "entry_one_posted_reversal"
        else:
            drafts = [
                draft(accountant, [("519530", 0, 9), ("361005", 9, 0)], voucher="CI", day=date(2022, 12, 31))
                for _n in range(2)
            ]
            Entry.objects.filter(pk__in=[d.pk for d in drafts]).update(source="closing")
            index = "entry_one_closing_a_year"
    posting = "UPDATE books_entry SET status = 'posted', number = %s WHERE id = %s"
    outcome = []
    with _other(company) as first, _other(company) as second:
        first.execute(posting, [901, drafts[0].pk])

        def post_second():
            try:
                second.execute(posting, [902, drafts[1].pk])
                second.commit()
                outcome.append("posted")
            except psycopg.Error as error:
                second.rollback()
                outcome.append(error)

        thread = threading.Thread(target=post_second)
        thread.start()
        _until(
            lambda: _waiting() >= 1 or not thread.is_alive(), "the second posting neither waited nor ended"
        )
        first.commit()
        thread.join(timeout=30)
    (error,) = outcome
    assert isinstance(error, psycopg.errors.UniqueViolation) and error.diag.constraint_name == index
