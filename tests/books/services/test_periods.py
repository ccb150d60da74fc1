from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from books.models import Balance, BooksSettings, Entry, PeriodEvent
from books.reports.trial_balance import trial_balance
from books.services.common import BooksError
from books.services.entries import EntryProblem, entry_annul, entry_refusals
from books.services.periods import period_lock, period_unlock, year_close
from firms.models import AuditEvent

from ..conftest import draft, post


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_lock_and_unlock_are_recorded(books, bookkeeper):
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    with pytest.raises(BooksError, match="already locked"):
        period_lock(until=date(2026, 1, 15), user=bookkeeper)
    with pytest.raises(BooksError, match="why"):
        period_unlock(until=None, reason=" ", user=bookkeeper)
    period_unlock(until=date(2025, 12, 31), reason="Ajuste de enero pedido por el revisor", user=bookkeeper)
    assert BooksSettings.objects.get().lock_date == date(2025, 12, 31)
    events = list(PeriodEvent.objects.order_by("at", "id").values_list("kind", "lock_date_after", "by_name"))
    assert events == [
        ("lock", date(2026, 1, 31), "Laura Contadora"),
        ("unlock", date(2025, 12, 31), "Laura Contadora"),
    ]


def test_lock_is_refused_while_drafts_wait_in_the_period(books, bookkeeper):
    draft(bookkeeper, [("110505", 100, 0)], day=date(2026, 1, 10))
    with pytest.raises(BooksError, match="1 draft"):
        period_lock(until=date(2026, 1, 31), user=bookkeeper)


def _year_2025(user, tercero, centro):
    post(user, [("130505", 1000, 0), ("413595", 0, 1000)], day=date(2025, 3, 1), third_party=tercero)
    post(user, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1), cost_center=centro)
    post(user, [("529505", 200, 0), ("110505", 0, 200)], day=date(2025, 9, 1))


def test_year_close_moves_income_and_expenses_to_3605_by_tercero(books, bookkeeper, tercero, centro):
    _year_2025(bookkeeper, tercero, centro)
    closing = year_close(year=2025, user=bookkeeper)
    assert closing.voucher_type.code == "CI" and closing.date == date(2025, 12, 31)
    rows = {
        (line.account_id, line.third_party_id, line.cost_center_id): (line.debit, line.credit)
        for line in closing.lines.all()
    }
    assert rows == {
        ("413595", tercero.pk, None): (Decimal("1000.00"), 0),
        ("519530", None, centro.pk): (0, Decimal("300.00")),
        ("529505", None, None): (0, Decimal("200.00")),
        ("360505", None, None): (0, Decimal("500.00")),
    }
    # Every income and expense account is at zero after the closing; the profit sits in equity.
    for row in trial_balance(start=date(2025, 1, 1), end=date(2025, 12, 31)):
        if row.code[0] in "4567":
            assert row.closing == 0
    assert [
        r.closing for r in trial_balance(start=date(2025, 1, 1), end=date(2025, 12, 31)) if r.code == "360505"
    ] == [Decimal("-500.00")]
    with pytest.raises(BooksError, match="already closed"):
        year_close(year=2025, user=bookkeeper)
    assert PeriodEvent.objects.filter(kind="close").count() == 1


def test_a_loss_goes_to_3610(books, bookkeeper):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    closing = year_close(year=2025, user=bookkeeper)
    assert closing.lines.get(account_id="361005").debit == Decimal("300.00")


def test_year_close_is_refused_while_drafts_exist_in_the_year(books, bookkeeper):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    draft(bookkeeper, [("110505", 5, 0)], day=date(2025, 12, 1))
    with pytest.raises(BooksError, match="draft"):
        year_close(year=2025, user=bookkeeper)
    assert not Entry.objects.filter(source="closing").exists()


def test_year_close_with_nothing_to_close_says_so(books, bookkeeper):
    with pytest.raises(BooksError, match="no income, expense or cost"):
        year_close(year=2024, user=bookkeeper)


def test_an_annulled_closing_can_be_done_again(books, bookkeeper):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    entry_annul(entry=year_close(year=2025, user=bookkeeper), user=bookkeeper, reason="faltaba un ajuste")
    assert sum(b.debit for b in Balance.objects.filter(account_id="361005")) == 0
    assert year_close(year=2025, user=bookkeeper).number == 2


# Year-end closing (issue 18, point 4) ------------------------------------------------------------------


def test_a_year_is_closed_only_once_it_has_ended(books, bookkeeper):
    year = timezone.localdate().year
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(year, 1, 10))
    with pytest.raises(BooksError, match=f"{year} can be closed from 01/01/{year + 1}, once it has ended"):
        year_close(year=year, user=bookkeeper)
    assert not Entry.objects.filter(source="closing").exists()


def test_closing_locks_the_year_records_the_lock_date_it_found_and_refuses_postings_in_the_year(
    books, bookkeeper
):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    period_lock(until=date(2025, 9, 30), user=bookkeeper)
    closing = year_close(year=2025, user=bookkeeper)
    assert BooksSettings.objects.get().lock_date == date(2025, 12, 31)
    event = PeriodEvent.objects.get(kind="close")
    assert (event.lock_date_before, event.lock_date_after, event.entry) == (
        date(2025, 9, 30),
        date(2025, 12, 31),
        closing,
    )
    # Unlocking does not open a closed year: only annulling the closing does.
    period_unlock(until=date(2025, 3, 31), reason="Revisión", user=bookkeeper)
    with pytest.raises(EntryProblem, match="2025 is closed by CI-1: nothing is posted or annulled in it"):
        post(bookkeeper, [("519530", 1, 0), ("110505", 0, 1)], day=date(2025, 11, 2))
    with pytest.raises(BooksError, match="2025 is closed by CI-1"):
        entry_annul(entry=Entry.objects.get(date=date(2025, 6, 1)), user=bookkeeper, reason="x")
    assert post(bookkeeper, [("519530", 1, 0), ("110505", 0, 1)], day=date(2026, 1, 2)).number == 2


def test_annulling_the_closing_reopens_the_year_and_gives_back_the_lock_date(books, bookkeeper):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    period_lock(until=date(2025, 9, 30), user=bookkeeper)
    closing = year_close(year=2025, user=bookkeeper)
    assert entry_refusals(closing)[0] is None  # the closing is annulled whatever the lock date
    entry_annul(entry=closing, user=bookkeeper, reason="Faltó la depreciación")
    assert BooksSettings.objects.get().lock_date == date(2025, 9, 30)
    event = PeriodEvent.objects.get(kind="reopen")
    assert (event.lock_date_before, event.lock_date_after, event.entry) == (
        date(2025, 12, 31),
        date(2025, 9, 30),
        closing,
    )
    assert "Faltó la depreciación" in event.reason
    assert AuditEvent.objects.filter(action="year.reopened", object_label=closing.label).exists()
    # Reopened: October can take the adjustment, then the year is closed again.
    post(bookkeeper, [("516005", 50, 0), ("110505", 0, 50)], day=date(2025, 10, 31))
    again = year_close(year=2025, user=bookkeeper)
    assert again.number == 2 and again.lines.get(account_id="361005").debit == 350


def test_a_lock_date_past_the_year_stays_through_the_closing_and_its_annulment(books, bookkeeper):
    post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    period_lock(until=date(2026, 2, 28), user=bookkeeper)
    closing = year_close(year=2025, user=bookkeeper)  # the year's last act, whatever the lock date
    assert BooksSettings.objects.get().lock_date == date(2026, 2, 28)
    entry_annul(entry=closing, user=bookkeeper, reason="Error")
    assert BooksSettings.objects.get().lock_date == date(2026, 2, 28)
    # Unlocked after the closing: annulling it does not lock again what was opened.
    closing = year_close(year=2025, user=bookkeeper)
    period_unlock(until=None, reason="Ajustes", user=bookkeeper)
    entry_annul(entry=closing, user=bookkeeper, reason="Otra vez")
    assert BooksSettings.objects.get().lock_date is None
