from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from books.models import Balance, BooksSettings, Entry, PeriodEvent
from books.reports import trial_balance
from books.services.common import BooksError
from books.services.entries import entry_annul
from books.services.periods import period_lock, period_unlock, year_close

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
