"""PostgreSQL itself keeps the ledger's rules (books/migrations/0006_ledger_rules.py): these tests go around
every service with raw SQL, the way a bug, an admin action or a console session would."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from books.models import Balance, Entry, EntryLine

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
    _sql("INSERT INTO books_bookssettings (lock_date, singleton) VALUES ('2026-01-31', true)")
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
