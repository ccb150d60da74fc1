"""The portfolio board's snapshot of a company: its figures equal the ledger's, and every change to the books
queues a refresh once it commits."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from books.models import Entry
from books.services.catalogs import third_party_create
from books.services.entries import entry_annul, entry_delete_draft, entry_post, entry_reverse
from books.services.opening import opening_balances_post
from books.services.periods import period_lock, period_unlock, year_close
from firms.models import CompanySnapshot
from firms.services.snapshots import company_snapshots_refresh
from firms.tasks import company_snapshot_refresh_task

from .conftest import draft, post
from .test_journal import csv_file

D = Decimal


def _groups(company, start: str, end: str, level: str = "grupo") -> dict[str, tuple[D, D, D]]:
    """code -> (debit, credit, closing) of `manage.py trial_balance` at a level."""
    out = io.StringIO()
    call_command(
        "trial_balance", "--company", company.slug, "--from", start, "--to", end, "--level", level, stdout=out
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    return {row["code"]: (D(row["debit"]), D(row["credit"]), D(row["closing"])) for row in rows}


def _snapshot(company) -> CompanySnapshot:
    company_snapshots_refresh(company_ids=[company.pk])
    return CompanySnapshot.objects.get(company=company)


def _assert_balances_match_the_ledger(company, snapshot):
    groups = _groups(company, "2000-01-01", "2030-12-31")

    def closing(code):
        return groups.get(code, (0, 0, D(0)))[2]

    assert snapshot.banks == closing("11")
    assert snapshot.receivables == closing("13")
    assert snapshot.payables == -closing("22")
    assert snapshot.taxes_payable == -closing("24")


def _year_2025(user, tercero):
    post(user, [("110505", 5000, 0), ("311505", 0, 5000)], day=date(2025, 1, 2))
    post(
        user,
        [("130505", 1190, 0), ("413595", 0, 1000), ("240800", 0, 190)],
        day=date(2025, 3, 1),
        third_party=tercero,
    )
    post(user, [("519530", 300, 0), ("2205", 0, 300)], day=date(2025, 4, 1), third_party=tercero)
    post(user, [("110505", 1190, 0), ("130505", 0, 1190)], day=date(2025, 5, 1), third_party=tercero)
    return post(user, [("529505", 200, 0), ("110505", 0, 200)], day=date(2025, 9, 1))


def test_snapshot_equals_the_trial_balance_after_postings_an_annulment_and_a_closing(
    books, bookkeeper, tercero
):
    mistaken = _year_2025(bookkeeper, tercero)
    snapshot = _snapshot(books)
    _assert_balances_match_the_ledger(books, snapshot)
    assert (snapshot.banks, snapshot.receivables, snapshot.payables, snapshot.taxes_payable) == (
        D("5990.00"),
        D("0.00"),
        D("300.00"),
        D("190.00"),
    )
    assert snapshot.last_entry_date == date(2025, 9, 1) and snapshot.last_entry_by == "Laura Contadora"

    entry_annul(entry=mistaken, user=bookkeeper, reason="Duplicado")
    snapshot = _snapshot(books)
    _assert_balances_match_the_ledger(books, snapshot)
    classes = _groups(books, "2025-01-01", "2025-12-31", level="clase")
    profit = -sum((classes[c][0] - classes[c][1] for c in "4567" if c in classes), D(0))
    assert snapshot.result == profit == D("700.00") and snapshot.result_year == 2025

    year_close(year=2025, user=bookkeeper)  # locks the books up to 31/12/2025 too
    snapshot = _snapshot(books)
    _assert_balances_match_the_ledger(books, snapshot)
    # Closed: classes 4 to 7 are back to zero and the year's result sits in 36, as the board still shows it.
    groups = _groups(books, "2025-01-01", "2025-12-31")
    assert all(groups[code][2] == 0 for code in groups if code[0] in "4567")
    assert snapshot.result == groups["36"][1] - groups["36"][0] == profit
    assert snapshot.locked_until == date(2025, 12, 31)
    assert snapshot.last_entry_label.startswith("CI-") and snapshot.refreshed_at is not None


def test_a_negative_bank_and_an_old_draft_raise_their_alerts(books, bookkeeper):
    post(bookkeeper, [("519530", 50, 0), ("111005", 0, 50)], day=date(2026, 2, 1))
    old = draft(bookkeeper, [("519530", 10, 0)], day=date(2026, 2, 2))
    Entry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    draft(bookkeeper, [("519530", 20, 0)], day=date(2026, 2, 3))
    snapshot = _snapshot(books)
    assert snapshot.banks == D("-50.00")
    assert snapshot.against_nature == "111005" and snapshot.against_nature_count == 1
    assert snapshot.drafts == 2
    assert snapshot.oldest_draft_at < timezone.now() - timedelta(days=30)


def test_the_last_comprobante_is_the_latest_posted_one_never_an_annulled_one_or_a_draft(books, bookkeeper):
    kept = post(bookkeeper, [("519530", 10, 0), ("110505", 0, 10)], day=date(2026, 2, 1))
    mistaken = post(bookkeeper, [("519530", 20, 0), ("110505", 0, 20)], day=date(2026, 3, 1), voucher="CE")
    draft(bookkeeper, [("519530", 30, 0), ("110505", 0, 30)], day=date(2026, 4, 1))
    assert _snapshot(books).last_entry_label == mistaken.label
    entry_annul(entry=mistaken, user=bookkeeper, reason="Duplicado")
    snapshot = _snapshot(books)
    assert (snapshot.last_entry_date, snapshot.last_entry_label) == (date(2026, 2, 1), kept.label)


def test_inventory_against_its_nature_raises_the_alert(books, bookkeeper):
    # Goods sold that were never produced: 1430 (debit nature) ends on the credit side.
    post(bookkeeper, [("613595", 700, 0), ("143005", 0, 700)], day=date(2026, 2, 1))
    snapshot = _snapshot(books)
    assert snapshot.against_nature == "143005" and snapshot.against_nature_count == 1


def test_a_terceros_negative_cartera_raises_the_alert_even_when_the_group_is_positive(books, bookkeeper):
    uno = third_party_create(
        document_type="nit", number="900.123.456-8", person_type="juridica", business_name="Uno S.A.S."
    )
    dos = third_party_create(document_type="cc", number="52123456", first_names="Ana", last_names="Ruiz")
    post(bookkeeper, [("130505", 1000, 0), ("413595", 0, 1000)], day=date(2026, 2, 1), third_party=uno)
    # Dos paid twice: 300 on the credit side of her receivable, while 1305 and 13 stay positive (700).
    post(bookkeeper, [("110505", 300, 0), ("130505", 0, 300)], day=date(2026, 2, 2), third_party=dos)
    snapshot = _snapshot(books)
    assert snapshot.receivables == D("700.00") and snapshot.against_nature_count == 0
    assert snapshot.negative_receivables == "Ana Ruiz" and snapshot.negative_receivables_count == 1
    # Settled: the alert goes away on the next refresh.
    post(bookkeeper, [("130505", 300, 0), ("110505", 0, 300)], day=date(2026, 2, 3), third_party=dos)
    snapshot = _snapshot(books)
    assert (snapshot.negative_receivables, snapshot.negative_receivables_count) == ("", 0)


def test_a_company_whose_books_are_not_ready_gets_a_row_without_figures(db, shared_schemas):
    from tests.factories import CompanyFactory

    company = CompanyFactory(provisioning_status="pending")
    snapshot = _snapshot(company)
    assert snapshot.banks == 0 and snapshot.last_entry_date is None and snapshot.refreshed_at is not None


# Queued on commit ---------------------------------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    """The refresh tasks queued (task name, args), without a broker."""
    calls = []
    monkeypatch.setattr(
        "core.queue.enqueue", lambda task, *args, **kwargs: calls.append((task.name, args)) or True
    )
    return calls


def _refresh_started(company):
    """What the refresh task does first: the next change queues again."""
    CompanySnapshot.objects.filter(company=company).update(refresh_queued_at=None)


def test_every_kind_of_change_queues_one_refresh_on_commit(
    books, bookkeeper, tercero, queued, django_capture_on_commit_callbacks
):
    expected = (company_snapshot_refresh_task.name, (books.pk,))
    post(bookkeeper, [("130505", 900, 0), ("413595", 0, 900)], day=date(2025, 5, 1))  # for the year close
    waiting = draft(bookkeeper, [("519530", 20, 0), ("110505", 0, 20)], day=date(2025, 5, 2))
    entry = None

    def posting():
        nonlocal entry
        entry = post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2025, 6, 1))

    changes = {
        "post": posting,
        "annul": lambda: entry_annul(entry=entry, user=bookkeeper, reason="Error"),
        "post an existing draft": lambda: entry_post(entry=waiting, user=bookkeeper),
        "draft": lambda: draft(bookkeeper, [("519530", 10, 0)], day=date(2025, 6, 2)),
        "delete draft": lambda: entry_delete_draft(entry=Entry.objects.get(status="draft")),
        "reverse": lambda: entry_reverse(
            entry=post(bookkeeper, [("519530", 5, 0), ("110505", 0, 5)], day=date(2025, 7, 1)),
            day=date(2025, 7, 2),
            user=bookkeeper,
        ),
        "opening balances (bulk posting)": lambda: opening_balances_post(
            file_name="saldos.csv",
            data=csv_file(
                [["110505", "", "", "", "1000", ""], ["311505", "", "", "", "", "1000"]],
                ["Cuenta", "NIT del tercero", "Nombre del tercero", "Centro de costo", "Débito", "Crédito"],
            ),
            day=date(2025, 1, 1),
            user=bookkeeper,
        ),
        "year close": lambda: year_close(year=2025, user=bookkeeper),
        "lock": lambda: period_lock(until=date(2026, 1, 31), user=bookkeeper),
        "unlock": lambda: period_unlock(until=None, reason="Ajuste", user=bookkeeper),
    }
    for kind, change in changes.items():
        _refresh_started(books)
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
            assert queued == [], f"{kind}: queued before the commit"
        assert queued == [expected], kind


def test_many_postings_queue_one_refresh_until_it_starts(
    books, bookkeeper, queued, django_capture_on_commit_callbacks
):
    _refresh_started(books)
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 6):
            post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2025, 6, day))
    assert len(queued) == 1
    _refresh_started(books)
    with django_capture_on_commit_callbacks(execute=True):
        post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2025, 6, 9))
    assert len(queued) == 2


def test_a_change_rolled_back_queues_nothing(books, bookkeeper, queued, django_capture_on_commit_callbacks):
    _refresh_started(books)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2025, 6, 1))
            raise RuntimeError
    assert queued == []
    # No snapshot waiting (none at all if no earlier test of this database made one).
    assert not CompanySnapshot.objects.filter(company=books, refresh_queued_at__isnull=False).exists()


def test_a_refresh_queued_long_ago_is_queued_again(
    books, bookkeeper, queued, django_capture_on_commit_callbacks
):
    from firms.services.snapshots import snapshots_requeue_stalled

    # Only this company's refresh: the shared companies' provisioning, when the session began, queued theirs.
    CompanySnapshot.objects.exclude(company=books).update(refresh_queued_at=None)
    _refresh_started(books)
    with django_capture_on_commit_callbacks(execute=True):
        post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2025, 6, 1))
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots_requeue_stalled() == 0  # just queued: nothing stalled yet
    CompanySnapshot.objects.filter(company=books).update(
        refresh_queued_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots_requeue_stalled() == 1
    assert len(queued) == 2


def test_figures_past_numeric_18_2_still_refresh_the_snapshot(books, bookkeeper):
    """Eleven lines at the largest amount put the banks past 10^16, which NUMERIC(18,2) cannot hold."""
    largest = D("999999999999999.99")
    for _ in range(11):
        post(bookkeeper, [("110505", largest, 0), ("311505", 0, largest)], day=date(2025, 1, 2))
    snapshot = _snapshot(books)
    assert snapshot.banks == largest * 11
    _assert_balances_match_the_ledger(books, snapshot)
