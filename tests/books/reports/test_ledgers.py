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


def _expected_groups(lines, start, end, by_third_party):
    """Per account (and tercero): opening, lines with their own running balance, debits, credits; computed
    here from the lines, in the order a libro auxiliar shows them."""
    groups = {}
    for line in sorted(lines, key=lambda ln: (ln.date, ln.entry_id, ln.line_no)):
        if line.date > end:
            continue
        key = (line.account_id,)
        if by_third_party:
            key += (line.third_party.number if line.third_party else "", line.third_party_id or 0)
        group = groups.setdefault(key, {"opening": Decimal(0), "lines": []})
        if line.date < start:
            group["opening"] += line.debit - line.credit
        else:
            group["lines"].append(line)
    expected = []
    for key in sorted(groups):
        group = groups[key]
        balance, rows = group["opening"], []
        for line in group["lines"]:
            balance += line.debit - line.credit
            rows.append((line.entry_id, line.debit, line.credit, balance))
        debit = sum((line.debit for line in group["lines"]), Decimal(0))
        credit = sum((line.credit for line in group["lines"]), Decimal(0))
        if group["opening"] or rows:
            expected.append(
                (key[0], (key[2] or None) if by_third_party else None, group["opening"], rows, debit, credit)
            )
    return expected


def _shown_groups(start, end, scope, by_third_party):
    """The groups as the pages of 10 lines show them, page after page."""
    shown, page, carried = [], 1, []
    while True:
        ledger = auxiliary(
            start=start, end=end, scope=scope, by_third_party=by_third_party, page=page, page_size=10
        )
        for item in ledger.items:
            group = item.group
            if item.kind == "group" and not item.continued:
                shown.append([group.account, group.third_party_id or None, item.balance, [], None, None])
            elif item.kind == "group":  # continued from the page before: its balance carried
                carried.append((item.balance, shown[-1][3][-1][3]))
            elif item.kind == "line":
                line = item.line
                shown[-1][3].append((line.entry_id, line.debit, line.credit, line.balance))
            else:
                shown[-1][4:] = [group.debit, group.credit]
                assert item.balance == group.closing == shown[-1][2] + group.debit - group.credit
        if not ledger.page.has_next():
            return [tuple(group) for group in shown], carried, ledger
        page += 1


@pytest.mark.parametrize("by_third_party", [False, True], ids=["by_account", "by_tercero"])
@pytest.mark.parametrize(
    "scope_kind", ["account", "prefix", "tercero", "account_and_tercero"], ids=lambda kind: kind
)
def test_auxiliary_keeps_one_balance_per_account_and_tercero(year_of_entries, scope_kind, by_third_party):  # noqa: F811
    """Class 1 (three accounts) or a tercero without an account: each account (and tercero) opens with its
    own balance and runs its own balance; one running balance across them would be wrong from the second."""
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
    expected = _expected_groups(lines, start, end, by_third_party)
    shown, carried, ledger = _shown_groups(start, end, scope, by_third_party)
    assert shown == expected
    assert ledger.count == sum(len(group[3]) for group in expected)
    assert all(balance == before for balance, before in carried)  # "saldo que viene" = the last line's
    if scope_kind in ("prefix", "tercero"):
        assert len({group[0] for group in expected}) > 1  # several accounts, each with its own balance
    period = [ln for ln in lines if start <= ln.date <= end]
    assert ledger.opening == sum((ln.debit - ln.credit for ln in lines if ln.date < start), Decimal(0))
    assert (ledger.debit, ledger.credit) == (sum(ln.debit for ln in period), sum(ln.credit for ln in period))


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
