from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from books.models import (
    MAX_AMOUNT,
    MAX_NUMBER,
    AccountBalance,
    AccountDayBalance,
    Balance,
    Entry,
    VoucherType,
)
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
    entry_refusals,
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
        ([("110505", "100.00", 0), ("413595", 0, "99.99")], "differ by 0.01"),  # one cent
        ([("110505", 100, 0)], "at least two lines"),
        ([("110505", 100, 100), ("413595", 0, 100)], "either as a debit or as a credit"),
        ([("110505", 0, 0), ("413595", 0, 100)], "the line has no amount"),
        ([("110505", -100, 0), ("413595", 0, -100)], "cannot be negative"),
        ([("110505", "100.001", 0), ("413595", 0, "100.001")], "at most 2 decimals"),
        ([("1105", 100, 0), ("413595", 0, 100)], "has sub-accounts"),
        ([("999999", 100, 0), ("413595", 0, 100)], "does not exist"),
        ([("110505", "1e16", 0), ("413595", 0, "1e16")], "amounts are at most 999,999,999,999,999.99"),
        ([("110505", "1e30", 0), ("413595", 0, "1e30")], "amounts are at most 999,999,999,999,999.99"),
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
    from books.services.common import DatabaseRefusal
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
    with pytest.raises(DatabaseRefusal, match=r"Debits \(1.00\) and credits \(2.00\) differ by 1.00"):
        entries_post_many(entries=bad, user=bookkeeper, source="import")
    assert not Entry.objects.filter(description__in=["d", "e"]).exists()


# Bounds: amounts, totals, balances and numbers (issue 18, points 5 and 6) ---------------------------------


def test_the_largest_lines_post_and_no_total_or_balance_overflows(books, bookkeeper):
    """Four lines of the largest amount in one comprobante, then eleven such comprobantes on one account and
    month: the total and the kept balances are exact (NUMERIC(18,2) overflowed at 1e16)."""
    top = MAX_AMOUNT
    entry = post(
        bookkeeper,
        [("110505", top, 0), ("110510", top, 0), ("413595", 0, top), ("410505", 0, top)],
        day=date(2026, 5, 1),
    )
    assert entry.total == 2 * top
    for _n in range(10):
        post(bookkeeper, [("110505", top, 0), ("413595", 0, top)], day=date(2026, 5, 2))
    caja = Balance.objects.get(account_id="110505", period=date(2026, 5, 1))
    assert caja.debit == 11 * top
    assert AccountBalance.objects.get(account_id="110505", period=date(2026, 5, 1)).debit == 11 * top
    assert AccountDayBalance.objects.get(account_id="110505", day=date(2026, 5, 2)).debit == 10 * top


def test_a_types_consecutive_ends_at_999_999_999_with_a_message(books, bookkeeper):
    VoucherType.objects.filter(code="ND").update(next_number=MAX_NUMBER)
    last = post(bookkeeper, [("110505", 1, 0), ("413595", 0, 1)], voucher="ND")
    assert last.number == MAX_NUMBER and VoucherType.objects.get(code="ND").next_number == MAX_NUMBER + 1
    with pytest.raises(BooksError, match="The consecutive of ND reached 999,999,999: use another"):
        post(bookkeeper, [("110505", 1, 0), ("413595", 0, 1)], voucher="ND")
    assert Entry.objects.filter(voucher_type__code="ND").count() == 1


def test_numbers_given_to_a_bulk_posting_are_bounded(books, bookkeeper):
    from books.services.entries import NewEntry, entries_post_many

    nd = VoucherType.objects.get(code="ND").pk

    def one(number=None):
        entry = NewEntry(nd, date(2026, 3, 1), "x", lines(("110505", 1, 0), ("413595", 0, 1)), number)
        return entries_post_many(entries=[entry], user=bookkeeper, source="import")

    (kept,) = one(MAX_NUMBER)
    assert Entry.objects.get(pk=kept).number == MAX_NUMBER
    for number in (MAX_NUMBER + 1, 2**31 - 1):
        with pytest.raises(BooksError, match="A comprobante number is from 1 to 999,999,999"):
            one(number)
    with pytest.raises(BooksError, match="The consecutive of ND reached"):  # the next free number is past it
        one()


# Dates (issue 18, point 7) --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1900, 1, 1), date(1989, 12, 31), date(9999, 12, 31)])
def test_comprobantes_are_dated_inside_the_books_window(books, bookkeeper, day):
    rows = [("110505", 100, 0), ("413595", 0, 100)]
    with pytest.raises(EntryProblem, match="is outside the books' dates: from 01/01/1990 to "):
        post(bookkeeper, rows, day=day)
    with pytest.raises(EntryProblem, match="outside the books' dates"):
        draft(bookkeeper, rows, day=day)
    assert not Entry.objects.exists()


def test_the_window_ends_a_year_after_today_and_its_start_is_a_setting(books, bookkeeper, settings):
    today = timezone.localdate()
    rows = [("110505", 100, 0), ("413595", 0, 100)]
    last = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else today
    assert post(bookkeeper, rows, day=last).date == last
    with pytest.raises(EntryProblem, match="outside the books' dates"):
        post(bookkeeper, rows, day=last + timedelta(days=1))
    assert post(bookkeeper, rows, day=date(1990, 1, 1)).number == 2
    settings.ENTRY_DATES_FROM = date(2020, 1, 1)
    with pytest.raises(EntryProblem, match="from 01/01/2020 to "):
        post(bookkeeper, rows, day=date(2019, 12, 31))
    settings.ENTRY_DATES_FROM = date(1950, 1, 1)  # never before what the database takes
    with pytest.raises(EntryProblem, match="from 01/01/1990 to "):
        post(bookkeeper, rows, day=date(1989, 12, 31))


# Reversals (issue 18, points 3 and 13) -------------------------------------------------------------------


def test_a_reversal_takes_the_type_asked_for_and_says_what_it_reverses(books, bookkeeper):
    invoice = post(bookkeeper, [("130505", 100, 0), ("413595", 0, 100)], voucher="FV")
    post(bookkeeper, [("130505", 5, 0), ("413595", 0, 5)], voucher="NC")  # NC-1
    reversal = entry_reverse(
        entry=invoice,
        day=date(2026, 3, 20),
        user=bookkeeper,
        voucher_type=VoucherType.objects.get(code="NC"),
        description="devolución",
    )
    assert (reversal.label, reversal.date, reversal.reversal_of_id) == ("NC-2", date(2026, 3, 20), invoice.pk)
    assert reversal.description == "Reversal of FV-1: devolución"
    assert VoucherType.objects.get(code="FV").next_number == 2  # the invoice's consecutive is not spent
    other = post(bookkeeper, [("130505", 7, 0), ("413595", 0, 7)], voucher="FV")
    own = entry_reverse(entry=other, day=date(2026, 3, 21), user=bookkeeper)
    assert (own.label, own.description) == ("FV-3", "Reversal of FV-2")


def test_a_reversed_comprobante_is_not_annulled_until_its_reversal_is(books, bookkeeper):
    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    reversal = entry_reverse(entry=entry, day=date(2026, 3, 15), user=bookkeeper)
    with pytest.raises(BooksError, match="reversed by CC-2: to undo the reversal, annul CC-2"):
        entry_annul(entry=entry, user=bookkeeper, reason="dos veces")
    with pytest.raises(BooksError, match="CC-2 is a reversal: to undo it, annul it"):
        entry_reverse(entry=reversal, day=date(2026, 3, 16), user=bookkeeper)
    assert entry_refusals(entry)[0] and entry_refusals(reversal) == (None, _reversal_refused(reversal))
    entry_annul(entry=reversal, user=bookkeeper, reason="la reversión sobraba")  # undoes it
    assert sum(b.debit - b.credit for b in Balance.objects.filter(account_id="110505")) == 100
    assert entry_refusals(entry) == (None, None)
    again = entry_reverse(entry=entry, day=date(2026, 3, 17), user=bookkeeper)  # reversed again, or
    entry_annul(entry=again, user=bookkeeper, reason="tampoco")
    entry_annul(entry=entry, user=bookkeeper, reason="duplicado")  # annulled: once, either way
    assert Entry.objects.get(pk=entry.pk).status == "annulled"
    assert sum(b.debit - b.credit for b in Balance.objects.filter(account_id="110505")) == 0


def _reversal_refused(reversal) -> str:
    return f"{reversal.label} is a reversal: to undo it, annul it; a reversal is not reversed."
