from datetime import date

from django.db import connection

from books.models import Balance, BalanceCheck
from books.services.balances import balances_check

from ..conftest import post


def test_the_check_finds_nothing_when_balances_follow_the_lines(books, bookkeeper):
    post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    check = balances_check()
    assert check.differences == [] and BalanceCheck.objects.count() == 1


def test_the_check_finds_a_planted_difference_and_repairs_it(books, bookkeeper, caplog):
    post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 3, 10))
    with connection.cursor() as cursor:  # a balance changed behind the ledger's back
        cursor.execute("UPDATE books_balance SET debit = debit + 1 WHERE account_id = '110505'")
        cursor.execute(
            "INSERT INTO books_balance (account_id, period, debit, credit) "
            "VALUES ('519530', '2026-01-01', 0, 7)"
        )
    check = balances_check()
    assert [(d["account"], d["period"], d["kept"], d["lines"]) for d in check.differences] == [
        ("110505", "2026-03-01", ["101.00", "0.00"], ["100.00", "0.00"]),
        ("519530", "2026-01-01", ["0.00", "7.00"], ["0", "0"]),
    ]
    assert "differ from the lines in 2 places" in caplog.text
    assert Balance.objects.get(account_id="110505").debit == 100
    assert not Balance.objects.filter(account_id="519530").exists()
    assert balances_check().differences == []


def test_the_nightly_task_checks_every_ready_company(books, bookkeeper, company_pena, company_andes):
    from unittest import mock

    from books.tasks import balances_check_all_task, balances_check_company_task

    post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE books_balance SET credit = credit + 2 WHERE account_id = '413595'")
    connection.set_schema_to_public()
    with mock.patch.object(balances_check_company_task, "apply_async") as queued:
        assert balances_check_all_task() >= 2
    assert {call.kwargs["args"][0] for call in queued.call_args_list} >= {company_pena.pk, company_andes.pk}
    assert balances_check_company_task(company_pena.pk) == 1
    assert balances_check_company_task(company_andes.pk) == 0


def test_the_account_balances_follow_postings_and_a_planted_difference_there_is_found(books, bookkeeper):
    from books.models import AccountBalance
    from books.services.entries import entry_annul

    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 3, 10))
    post(bookkeeper, [("110505", 50, 0), ("413595", 0, 50)], day=date(2026, 3, 12))
    assert AccountBalance.objects.get(account_id="110505", period=date(2026, 3, 1)).debit == 150
    entry_annul(entry=entry, user=bookkeeper, reason="duplicado")
    assert AccountBalance.objects.get(account_id="110505", period=date(2026, 3, 1)).debit == 50
    with connection.cursor() as cursor:
        cursor.execute("UPDATE books_accountbalance SET credit = credit + 3 WHERE account_id = '413595'")
    check = balances_check()
    assert [(d["table"], d["account"], d["kept"]) for d in check.differences] == [
        ("account_balance", "413595", ["0.00", "53.00"])
    ]
    assert AccountBalance.objects.get(account_id="413595").credit == 50


def test_the_day_balances_follow_postings_and_a_planted_difference_there_is_found(books, bookkeeper):
    from books.models import AccountDayBalance
    from books.services.entries import entry_annul

    entry = post(bookkeeper, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 3, 10))
    post(bookkeeper, [("110505", 50, 0), ("413595", 0, 50)], day=date(2026, 3, 10))
    post(bookkeeper, [("110505", 7, 0), ("413595", 0, 7)], day=date(2026, 3, 12))
    days = AccountDayBalance.objects.filter(account_id="110505").order_by("day")
    assert [(d.day.day, d.debit, d.lines) for d in days] == [(10, 150, 2), (12, 7, 1)]
    entry_annul(entry=entry, user=bookkeeper, reason="duplicado")
    assert [(d.day.day, d.debit, d.lines) for d in days.all()] == [(10, 50, 1), (12, 7, 1)]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE books_accountdaybalance SET debit = debit + 1 "
            "WHERE account_id = '110505' AND day = '2026-03-12'"
        )
        cursor.execute(
            "UPDATE books_accountdaybalance SET lines = 5 WHERE account_id = '413595' AND day = '2026-03-10'"
        )
    check = balances_check()
    assert [(d["table"], d["account"], d["period"], d["kept"], d["lines"]) for d in check.differences] == [
        ("account_day_balance", "110505", "2026-03-12", ["8.00", "0.00", "1"], ["7.00", "0.00", "1"]),
        ("account_day_balance", "413595", "2026-03-10", ["0.00", "50.00", "5"], ["0.00", "50.00", "1"]),
    ]
    assert days.get(day=date(2026, 3, 12)).debit == 7  # repaired from the lines
    assert balances_check().differences == []
