"""The ledgers against figures computed in the test from the lines."""

from datetime import date
from decimal import Decimal

import pytest

from books.models import EntryLine
from books.reports.ledgers import (
    auxiliary,
    general_ledger,
    journal_by_day,
    journal_entries,
    journal_totals_by_type,
)
from books.reports.trial_balance import Scope

from .test_trial_balance import year_of_entries  # noqa: F401 - the shared data set


def _posted():
    return EntryLine.objects.filter(entry__status="posted").select_related(
        "entry__voucher_type", "third_party"
    )


@pytest.mark.parametrize(
    "scope_kind", ["account", "prefix", "tercero", "account_and_tercero"], ids=lambda kind: kind
)
def test_auxiliary_opening_running_balance_and_totals(year_of_entries, scope_kind):  # noqa: F811
    from books.models import ThirdParty

    tercero = ThirdParty.objects.get(number="900123456")
    scope, keep = {
        "account": (Scope(account_from="130505", account_to="130505"), lambda ln: ln.account_id == "130505"),
        "prefix": (Scope(account_from="1", account_to="1"), lambda ln: ln.account_id.startswith("1")),
        "tercero": (Scope(third_party=tercero.pk), lambda ln: ln.third_party_id == tercero.pk),
        "account_and_tercero": (
            Scope(account_from="413595", account_to="413595", third_party=tercero.pk),
            lambda ln: ln.account_id == "413595" and ln.third_party_id == tercero.pk,
        ),
    }[scope_kind]
    start, end = date(2025, 11, 17), date(2026, 2, 9)
    lines = [ln for ln in _posted() if keep(ln)]
    opening = sum((ln.debit - ln.credit for ln in lines if ln.date < start), Decimal(0))
    period = sorted(
        (ln for ln in lines if start <= ln.date <= end), key=lambda ln: (ln.date, ln.entry_id, ln.line_no)
    )
    first = auxiliary(start=start, end=end, scope=scope, page_size=10)
    assert first.opening == opening
    assert first.count == len(period)
    assert first.debit == sum(ln.debit for ln in period) and first.credit == sum(ln.credit for ln in period)
    balance, expected = opening, []
    for line in period:
        balance += line.debit - line.credit
        expected.append((line.entry_id, line.debit, line.credit, balance))
    assert [(ln.entry_id, ln.debit, ln.credit, ln.balance) for ln in first.lines] == expected[:10]
    second = auxiliary(start=start, end=end, scope=scope, page=2, page_size=10)
    assert [(ln.entry_id, ln.balance) for ln in second.lines] == [(e, b) for e, _d, _c, b in expected[10:20]]
    assert first.closing == balance


def test_journal_lists_posted_comprobantes_in_date_order_with_day_and_type_totals(year_of_entries):  # noqa: F811
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    entries = list(journal_entries(start=start, end=end))
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert {e.status for e in entries} == {"posted"} and all(start <= e.date <= end for e in entries)
    days = journal_by_day(start=start, end=end)
    lines = [ln for ln in _posted() if start <= ln.date <= end]
    assert sum(d.debit for d in days) == sum(ln.debit for ln in lines) == sum(d.credit for d in days)
    assert sum(d.entries for d in days) == len(entries)
    totals = journal_totals_by_type(start=start, end=end)
    assert sum(t["total"] for t in totals) == sum(ln.debit for ln in lines)


def test_general_ledger_month_by_month_from_the_balances(year_of_entries):  # noqa: F811
    start, end = date(2025, 12, 1), date(2026, 3, 31)
    accounts = {a.code: a for a in general_ledger(start=start, end=end)}
    lines = list(_posted())
    for code, account in accounts.items():
        mine = [ln for ln in lines if ln.account_id.startswith(code)]
        assert [m.month for m in account.months] == [
            date(2025, 12, 1),
            date(2026, 1, 1),
            date(2026, 2, 1),
            date(2026, 3, 1),
        ]
        balance = sum((ln.debit - ln.credit for ln in mine if ln.date < start), Decimal(0))
        for month in account.months:
            in_month = [ln for ln in mine if ln.date.replace(day=1) == month.month]
            assert month.opening == balance
            assert (month.debit, month.credit) == (
                sum(ln.debit for ln in in_month),
                sum(ln.credit for ln in in_month),
            )
            balance = month.closing
    assert set(accounts) == {ln.account_id[:4] for ln in lines if ln.date <= end}
