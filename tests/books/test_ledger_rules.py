"""PostgreSQL itself keeps the ledger's rules (books/migrations/0006_ledger_rules.py): these tests go around
every service with raw SQL, the way a bug, an admin action or a console session would."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from books.models import Balance, BooksSettings, Entry, EntryLine

from .conftest import draft, post


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement, params=(), match="books:"):
    with pytest.raises(DatabaseError, match=match):
        _sql(statement, params)


@pytest.fixture
def posted(books, bookkeeper):
    return post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE books_entryline SET debit = debit + 1 WHERE entry_id = %s AND debit > 0",
        "UPDATE books_entryline SET account_id = '110510' WHERE entry_id = %s",
        "UPDATE books_entryline SET description = 'cambiada' WHERE entry_id = %s",
        "DELETE FROM books_entryline WHERE entry_id = %s",
        "INSERT INTO books_entryline (entry_id, line_no, date, account_id, description, debit, credit) "
        "SELECT id, 9, date, '110505', '', 5, 0 FROM books_entry WHERE id = %s",
    ],
)
def test_posted_lines_never_change_even_with_raw_sql(posted, statement):
    _refused(statement, [posted.pk])
    assert list(EntryLine.objects.filter(entry=posted).values_list("debit", "credit")) == [(100, 0), (0, 100)]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE books_entry SET description = 'otra' WHERE id = %s",
        "UPDATE books_entry SET date = '2026-03-11' WHERE id = %s",
        "UPDATE books_entry SET number = number + 100 WHERE id = %s",
        "UPDATE books_entry SET status = 'draft' WHERE id = %s",
        "DELETE FROM books_entry WHERE id = %s",
    ],
)
def test_a_posted_header_never_changes_and_is_never_deleted(posted, statement):
    _refused(statement, [posted.pk])
    assert Entry.objects.get(pk=posted.pk).status == "posted"


def test_annulling_is_the_one_change_of_a_posted_comprobante_and_it_is_final(posted):
    _sql(
        "UPDATE books_entry SET status = 'annulled', annul_reason = 'duplicado', annulled_at = now() "
        "WHERE id = %s",
        [posted.pk],
    )
    assert Balance.objects.filter(account_id="110505").get().debit == 0  # the effect went
    _refused("UPDATE books_entry SET status = 'posted' WHERE id = %s", [posted.pk])
    _refused("UPDATE books_entry SET annul_reason = 'otra' WHERE id = %s", [posted.pk])
    _refused("UPDATE books_entryline SET description = 'x' WHERE entry_id = %s", [posted.pk])


def test_truncate_is_refused_once_anything_is_posted(posted):
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # as after a commit: nothing pending in this test's transaction
    _refused("TRUNCATE books_entryline")
    _refused("TRUNCATE books_entry CASCADE")
    assert EntryLine.objects.filter(entry=posted).count() == 2


def test_a_comprobante_cannot_be_inserted_as_posted(books):
    _refused(
        "INSERT INTO books_entry (voucher_type_id, number, date, description, status, source, total, "
        "prepared_by_name, created_at, posted_by_name, annulled_by_name, annul_reason) "
        "SELECT id, 999, '2026-03-01', '', 'posted', 'manual', 0, '', now(), '', '', '' "
        "FROM books_vouchertype WHERE code = 'CC'"
    )


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ([("110505", 100, 0), ("413595", 0, 90)], "not balanced"),
        ([("110505", 100, 0)], "not balanced"),
        ([("110505", 100, 0), ("413595", 0, 100)], "sub-accounts"),
    ],
)
def test_posting_an_unbalanced_or_non_movement_draft_is_refused_by_the_database(
    books, bookkeeper, rows, match
):
    entry = draft(bookkeeper, rows)
    if match == "sub-accounts":  # a draft's line moved to an account with sub-accounts, behind the service
        _sql("UPDATE books_entryline SET account_id = '1105' WHERE entry_id = %s AND line_no = 1", [entry.pk])
    _refused("UPDATE books_entry SET status = 'posted', number = 9999 WHERE id = %s", [entry.pk], match=match)
    assert Entry.objects.get(pk=entry.pk).status == "draft"


def test_posting_on_or_before_the_lock_date_is_refused_by_the_database(books, bookkeeper):
    entry = draft(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 1, 31))
    BooksSettings.objects.update(lock_date=date(2026, 1, 31))
    _refused(
        "UPDATE books_entry SET status = 'posted', number = 9999 WHERE id = %s", [entry.pk], match="lock date"
    )


def test_a_line_with_another_date_than_its_comprobante_is_refused(books, bookkeeper):
    entry = draft(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    _refused("UPDATE books_entryline SET date = '2026-04-01' WHERE entry_id = %s", [entry.pk])


@pytest.mark.parametrize(
    ("debit", "credit"),
    [(0, 0), (5, 5), (-5, 0), (0, -1)],
    ids=["none", "both", "negative", "negative-credit"],
)
def test_a_line_has_exactly_one_positive_side(books, bookkeeper, debit, credit):
    entry = draft(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    with pytest.raises(DatabaseError, match="entry_line_one_positive_side"):
        _sql(
            "INSERT INTO books_entryline (entry_id, line_no, date, account_id, description, debit, credit) "
            "VALUES (%s, 3, %s, '110505', '', %s, %s)",
            [entry.pk, entry.date, debit, credit],
        )


def test_balances_follow_posting_and_annulment_in_the_same_transaction(books, bookkeeper):
    entry = post(bookkeeper, [("110505", "1234.56", 0), ("413595", 0, "1234.56")])
    caja = Balance.objects.get(account_id="110505", period=date(2026, 3, 1))
    assert (caja.debit, caja.credit) == (entry.total, 0)
    post(bookkeeper, [("110505", 0, "34.56"), ("413595", "34.56", 0)], day=date(2026, 3, 20))
    caja.refresh_from_db()
    assert (caja.debit, caja.credit) == (entry.total, Decimal("34.56"))


@pytest.mark.parametrize("code", ["11052", "110", "1A", "12345", ""])
def test_the_chart_refuses_codes_outside_the_puc_structure(books, code):
    _refused(
        "INSERT INTO books_account (code, name, level, parent_id, nature, is_active, "
        "requires_third_party, requires_cost_center, search_text, is_custom) "
        "VALUES (%s, 'X', 'auxiliar', '1105', 'D', true, false, false, '', true)",
        [code],
        match="account_code_puc_structure",
    )


# Issue 18: reversals, closings, bounds and dates, kept by PostgreSQL ----------------------------------------


def _post_sql(entry_id, number=9999):
    _sql("UPDATE books_entry SET status = 'posted', number = %s WHERE id = %s", [number, entry_id])


def _posting_refused(entry_id, match, number=9999):
    _refused("UPDATE books_entry SET status = 'posted', number = %s WHERE id = %s", [number, entry_id], match)


def _annul_sql(entry_id):
    _sql("UPDATE books_entry SET status = 'annulled', annul_reason = 'x' WHERE id = %s", [entry_id])


def _reversing(bookkeeper, original):
    """A draft that says it reverses `original` (as the service's draft does before it posts it)."""
    entry = draft(bookkeeper, [("110505", 0, 100), ("413595", 100, 0)])
    _sql("UPDATE books_entry SET reversal_of_id = %s WHERE id = %s", [original.pk, entry.pk])
    return entry


def test_a_reversed_comprobante_is_not_annulled_and_a_reversal_is_not_reversed_even_with_raw_sql(
    books, bookkeeper, posted
):
    from books.services.entries import entry_reverse

    reversal = entry_reverse(entry=posted, day=date(2026, 3, 15), user=bookkeeper)
    _refused(
        "UPDATE books_entry SET status = 'annulled' WHERE id = %s", [posted.pk], match="reversed by CC-2"
    )
    second = _reversing(bookkeeper, posted)
    _posting_refused(second.pk, "entry_one_posted_reversal")  # one reversal in effect (a unique index)
    _posting_refused(_reversing(bookkeeper, reversal).pk, "CC-2 is a reversal")
    _annul_sql(reversal.pk)  # annulling the reversal undoes it: the original may go now
    _annul_sql(posted.pk)
    assert Entry.objects.get(pk=posted.pk).status == "annulled"
    _posting_refused(second.pk, "is annulled and cannot be reversed")


def _closing_draft(bookkeeper, day=date(2025, 12, 31)):
    entry = draft(bookkeeper, [("519530", 0, 300), ("361005", 300, 0)], voucher="CI", day=day)
    _sql("UPDATE books_entry SET source = 'closing' WHERE id = %s", [entry.pk])
    return entry


def test_a_closed_year_takes_no_posting_and_no_annulment_even_with_raw_sql(books, bookkeeper):
    june = post(bookkeeper, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    late = draft(bookkeeper, [("519530", 5, 0), ("110505", 0, 5)], day=date(2025, 11, 1))
    closing = _closing_draft(bookkeeper)
    _post_sql(closing.pk, 1)
    _posting_refused(late.pk, "2025 is closed by CI-1")
    _refused("UPDATE books_entry SET status = 'annulled' WHERE id = %s", [june.pk], match="2025 is closed")
    _posting_refused(_closing_draft(bookkeeper).pk, "2025 is closed by CI-1", number=2)
    _annul_sql(closing.pk)  # reopened
    _post_sql(late.pk, 77)
    assert Entry.objects.get(pk=late.pk).status == "posted"


@pytest.mark.parametrize("ended", [True, False], ids=["30-december", "this-year"])
def test_a_closing_is_dated_31_december_of_a_year_that_has_ended(books, bookkeeper, ended):
    this_year = timezone.localdate().year
    closing = _closing_draft(bookkeeper, day=date(2025, 12, 30) if ended else date(this_year, 12, 31))
    _posting_refused(closing.pk, "31 December of a year that has ended", number=1)


def test_the_lock_date_does_not_stop_the_closing_itself(books, bookkeeper):
    BooksSettings.objects.update(lock_date=date(2026, 3, 31))
    closing = _closing_draft(bookkeeper)
    _post_sql(closing.pk, 1)
    _annul_sql(closing.pk)
    assert Entry.objects.get(pk=closing.pk).status == "annulled"


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        (
            "INSERT INTO books_entryline (entry_id, line_no, date, account_id, description, debit, credit) "
            "SELECT id, 3, date, '110505', '', 1000000000000000, 0 FROM books_entry WHERE id = %s",
            "entry_line_amount_bound",
        ),
        ("UPDATE books_entry SET date = '1989-12-31' WHERE id = %s", "entry_date_window"),
        ("UPDATE books_entry SET date = '0001-01-01' WHERE id = %s", "entry_date_window"),
        ("UPDATE books_entry SET date = '2101-01-01' WHERE id = %s", "entry_date_window"),
        ("UPDATE books_entryline SET date = '1900-01-01' WHERE entry_id = %s", "entry_line_date_window"),
        ("UPDATE books_entry SET status = 'posted', number = 1000000000 WHERE id = %s", "entry_number_range"),
        (
            "UPDATE books_vouchertype SET next_number = 1000000001 WHERE id = "
            "(SELECT voucher_type_id FROM books_entry WHERE id = %s)",
            "voucher_type_next_number_range",
        ),
    ],
    ids=["amount", "date-1989", "date-0001", "date-2101", "line-date", "number", "consecutive"],
)
def test_amounts_dates_and_numbers_are_bounded_by_the_database(books, bookkeeper, statement, constraint):
    entry = draft(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    with pytest.raises(DatabaseError, match=constraint):
        _sql(statement, [entry.pk])


def test_every_refusal_of_the_triggers_has_a_code_with_its_message():
    """The triggers' DETAIL codes (books/sql/ledger.sql) are each turned into a message
    (books.services.common): a new refusal without one fails here."""
    import re

    from books.services.common import TRIGGER_REFUSALS
    from books.sql import ledger_sql

    rules = ledger_sql()
    codes = set(re.findall(r"""['"]code['"]?\s*[:,]\s*['"](\w+)['"]""", rules))
    assert rules.count("RAISE EXCEPTION") == rules.count("DETAIL = ")  # every refusal carries its code
    assert codes and codes <= TRIGGER_REFUSALS.keys(), codes - TRIGGER_REFUSALS.keys()
