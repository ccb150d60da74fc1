from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from books.models import Balance, Entry, VoucherType
from books.services.catalogs import third_party_set_active
from books.services.chart import account_update
from books.services.common import BooksError
from books.services.entries import (
    EntryProblem,
    LineInput,
    entry_annul,
    entry_copy,
    entry_delete_draft,
    entry_post,
    entry_reverse,
    entry_save_and_post,
)
from books.services.periods import period_lock

from ..conftest import draft, lines, post


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _problems(error) -> str:
    return str(error.value)


def test_posting_numbers_with_each_types_own_consecutive(books, bookkeeper):
    first = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    second = post(bookkeeper, [("110505", 50, 0), ("413595", 0, 50)])
    invoice = post(bookkeeper, [("130505", 70, 0), ("413595", 0, 70)], voucher="FV")
    assert (first.number, second.number, invoice.number) == (1, 2, 1)
    assert first.status == "posted" and first.total == Decimal("100.00")
    assert first.posted_by_name == "Laura Contadora" and first.prepared_by_id == bookkeeper.pk
    assert VoucherType.objects.get(code="CC").next_number == 3


def test_a_draft_has_no_number_and_is_numbered_when_posted(books, bookkeeper):
    entry = draft(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    assert entry.number is None and entry.status == "draft"
    assert not Balance.objects.filter(account_id="110505").exists()  # a draft does not count
    entry = entry_post(entry=entry, user=bookkeeper)
    assert entry.number == 1 and Balance.objects.get(account_id="110505").debit == 100


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("110505", 100, 0), ("413595", 0, 90)], "differ by 10"),
        ([("110505", 100, 0)], "at least two lines"),
        ([("110505", 100, 100), ("413595", 0, 100)], "either as a debit or as a credit"),
        ([("110505", 0, 0), ("413595", 0, 100)], "the line has no amount"),
        ([("110505", -100, 0), ("413595", 0, -100)], "cannot be negative"),
        ([("110505", "100.001", 0), ("413595", 0, "100.001")], "at most 2 decimals"),
        ([("1105", 100, 0), ("413595", 0, 100)], "has sub-accounts"),
        ([("999999", 100, 0), ("413595", 0, 100)], "does not exist"),
    ],
)
def test_posting_refuses_each_broken_rule_with_its_line(books, bookkeeper, rows, message):
    with pytest.raises(EntryProblem) as error:
        post(bookkeeper, rows)
    assert message in _problems(error)
    assert not Entry.objects.exists()  # nothing half-done


def test_posting_requires_tercero_and_cost_center_where_the_account_asks(books, bookkeeper, tercero, centro):
    from books.models import Account

    account = Account.objects.get(code="130505")
    account_update(
        account=account,
        name=account.name,
        nature="D",
        is_active=True,
        requires_third_party=True,
        requires_cost_center=True,
    )
    with pytest.raises(EntryProblem) as error:
        post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)])
    assert "requires a tercero" in _problems(error) and "requires a cost center" in _problems(error)
    entry = post(
        bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], third_party=tercero, cost_center=centro
    )
    assert entry.lines.first().third_party == tercero


def test_inactive_accounts_and_terceros_take_no_postings(books, bookkeeper, tercero):
    from books.models import Account

    third_party_set_active(third_party=tercero, active=False)
    with pytest.raises(EntryProblem, match="inactive"):
        post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], third_party=tercero)
    account = Account.objects.get(code="110510")
    account_update(
        account=account,
        name=account.name,
        nature="D",
        is_active=False,
        requires_third_party=False,
        requires_cost_center=False,
    )
    with pytest.raises(EntryProblem, match="inactive"):
        post(bookkeeper, [("110510", 100, 0), ("413595", 0, 100)])


def test_posting_in_a_locked_period_is_refused(books, bookkeeper):
    period_lock(until=date(2026, 2, 28), user=bookkeeper)
    with pytest.raises(EntryProblem, match="locked up to 02/28/2026: 02/28/2026"):  # English dates in English
        post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 2, 28))
    assert post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 3, 1)).number == 1


def test_annulment_keeps_the_number_and_removes_the_effect(books, bookkeeper):
    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    with pytest.raises(BooksError, match="why"):
        entry_annul(entry=entry, user=bookkeeper, reason="  ")
    entry = entry_annul(entry=entry, user=bookkeeper, reason="Duplicado")
    assert entry.status == "annulled" and entry.number == 1 and entry.lines.count() == 2
    assert Balance.objects.get(account_id="110505").debit == 0
    with pytest.raises(BooksError, match="Only a posted"):
        entry_annul(entry=entry, user=bookkeeper, reason="otra vez")
    assert post(bookkeeper, [("110505", 5, 0), ("413595", 0, 5)]).number == 2  # the number is not reused


def test_annulment_in_a_locked_period_is_refused(books, bookkeeper):
    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 1, 15))
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    with pytest.raises(BooksError, match="locked"):
        entry_annul(entry=entry, user=bookkeeper, reason="error")


def test_reversal_swaps_every_line_in_an_open_period(books, bookkeeper, tercero):
    entry = post(
        bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], day=date(2026, 1, 15), third_party=tercero
    )
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    with pytest.raises(EntryProblem, match="locked"):
        entry_reverse(entry=entry, day=date(2026, 1, 31), user=bookkeeper)
    reversal = entry_reverse(entry=entry, day=date(2026, 2, 1), user=bookkeeper)
    assert reversal.reversal_of == entry and reversal.status == "posted" and reversal.number == 2
    assert [
        (line.account_id, line.debit, line.credit, line.third_party_id) for line in reversal.lines.all()
    ] == [
        ("130505", 0, 100, tercero.pk),
        ("413595", 100, 0, tercero.pk),
    ]
    assert sum(b.debit - b.credit for b in Balance.objects.filter(account_id="130505")) == 0
    with pytest.raises(BooksError, match="already reversed"):
        entry_reverse(entry=entry, day=date(2026, 2, 2), user=bookkeeper)


def test_copy_makes_a_new_draft_with_the_same_lines(books, bookkeeper):
    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    copy = entry_copy(entry=entry, user=bookkeeper, day=date(2026, 4, 1))
    assert copy.status == "draft" and copy.number is None and copy.date == date(2026, 4, 1)
    assert [(line.account_id, line.debit) for line in copy.lines.all()] == [("110505", 100), ("413595", 0)]


def test_only_drafts_are_deleted_or_edited(books, bookkeeper):
    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    with pytest.raises(BooksError, match="never deleted"):
        entry_delete_draft(entry=entry)
    with pytest.raises(BooksError, match="already posted"):
        entry_save_and_post(
            voucher_type=entry.voucher_type,
            day=entry.date,
            description="otra",
            lines=lines(("110505", 1, 0), ("413595", 0, 1)),
            user=bookkeeper,
            entry=entry,
        )
    other = draft(bookkeeper, [("110505", 100, 0)])
    entry_delete_draft(entry=other)
    assert not Entry.objects.filter(pk=other.pk).exists()


def test_a_draft_may_be_unbalanced_but_its_lines_must_make_sense(books, bookkeeper):
    assert draft(bookkeeper, [("110505", 100, 0)]).total == 100
    with pytest.raises(EntryProblem, match="does not exist"):
        draft(bookkeeper, [("000000", 100, 0)])


def test_line_input_defaults_are_zero():
    line = LineInput(account="110505", debit=Decimal("5"))
    assert line.credit == 0 and line.third_party is None


def test_many_comprobantes_post_at_once_keeping_given_numbers(books, bookkeeper):
    from django.db.utils import DatabaseError

    from books.services.entries import NewEntry, entries_post_many

    fv = VoucherType.objects.get(code="FV").pk
    existing = post(bookkeeper, [("130505", 5, 0), ("413595", 0, 5)], voucher="FV")  # FV-1
    batch = [
        NewEntry(fv, date(2026, 3, 1), "a", lines(("130505", 10, 0), ("413595", 0, 10))),
        NewEntry(fv, date(2026, 3, 2), "b", lines(("130505", 20, 0), ("413595", 0, 20)), number=2),
        NewEntry(fv, date(2026, 3, 3), "c", lines(("130505", 30, 0), ("413595", 0, 30)), number=50),
    ]
    ids = entries_post_many(entries=batch, user=bookkeeper, source="import")
    numbers = dict(Entry.objects.filter(pk__in=ids).values_list("description", "number"))
    assert numbers == {"a": 3, "b": 2, "c": 50} and existing.number == 1
    assert VoucherType.objects.get(pk=fv).next_number == 51
    assert sum(b.debit for b in Balance.objects.filter(account_id="130505")) == 65
    # The database checks every comprobante again: one unbalanced and nothing of the batch is posted.
    bad = [
        NewEntry(fv, date(2026, 3, 4), "d", lines(("130505", 1, 0), ("413595", 0, 1))),
        NewEntry(fv, date(2026, 3, 4), "e", lines(("130505", 1, 0), ("413595", 0, 2))),
    ]
    with pytest.raises(DatabaseError, match="not balanced"):
        entries_post_many(entries=bad, user=bookkeeper, source="import")
    assert not Entry.objects.filter(description__in=["d", "e"]).exists()
