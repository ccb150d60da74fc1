"""The trial balance against figures computed independently from the lines."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from books.models import EntryLine
from books.reports import trial_balance
from books.services.catalogs import third_party_create
from books.services.entries import entry_annul

from .conftest import post

ACCOUNTS = [
    ("110505", "413595"),
    ("130505", "413595"),
    ("519530", "110505"),
    ("529505", "233595"),
    ("152405", "233595"),
]


@pytest.fixture
def year_of_entries(books, bookkeeper):
    """80 comprobantes over 2025-2026 with two terceros, some annulled."""
    rng = random.Random(7)
    terceros = [
        third_party_create(document_type="nit", number=number, person_type="juridica", business_name=name)
        for number, name in [("900123456", "Uno S.A.S."), ("860002964", "Dos Ltda.")]
    ]
    entries = []
    for _n in range(80):
        debit, credit = rng.choice(ACCOUNTS)
        amount = Decimal(rng.randint(100, 999_999)) / 100
        day = date(2025, 6, 1) + timedelta(days=rng.randint(0, 400))
        tercero = rng.choice([None, *terceros])
        entries.append(
            post(bookkeeper, [(debit, amount, 0), (credit, 0, amount)], day=day, third_party=tercero)
        )
    for entry in entries[::9]:
        entry_annul(entry=entry, user=bookkeeper, reason="prueba")
    return entries


def _expected(start, end, key):
    figures = defaultdict(lambda: [Decimal(0)] * 3)
    for line in EntryLine.objects.filter(entry__status="posted", date__lte=end).select_related("third_party"):
        row = figures[key(line)]
        if line.date < start:
            row[0] += line.debit - line.credit
        else:
            row[1] += line.debit
            row[2] += line.credit
    return {k: tuple(v) for k, v in figures.items() if any(v)}


PERIODS = [
    (date(2026, 1, 1), date(2026, 3, 31)),  # whole months
    (date(2025, 11, 17), date(2026, 2, 9)),  # both edges cut a month
    (date(2026, 2, 3), date(2026, 2, 20)),  # inside one month
    (date(2025, 7, 1), date(2026, 7, 15)),
]


def test_trial_balance_of_movement_accounts_equals_the_lines(year_of_entries):
    for start, end in PERIODS:
        rows = trial_balance(start=start, end=end)
        expected = _expected(start, end, lambda line: line.account_id)
        assert {r.code: (r.opening, r.debit, r.credit) for r in rows} == expected, (start, end)
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
        assert sum(r.closing for r in rows) == 0
        assert [r.code for r in rows] == sorted(r.code for r in rows)


def test_trial_balance_by_level_adds_up_the_accounts_under_each(year_of_entries):
    start, end = date(2025, 11, 17), date(2026, 2, 9)
    for level, length in [("clase", 1), ("grupo", 2), ("cuenta", 4), ("subcuenta", 6), ("auxiliar", 8)]:
        rows = trial_balance(start=start, end=end, level=level)
        expected = _expected(start, end, lambda line, n=length: line.account_id[:n])
        assert {r.code: (r.opening, r.debit, r.credit) for r in rows} == expected, level
        assert sum(r.closing for r in rows) == 0


def test_trial_balance_by_tercero(year_of_entries):
    start, end = date(2025, 11, 17), date(2026, 2, 9)
    rows = trial_balance(start=start, end=end, by_third_party=True)
    expected = _expected(
        start, end, lambda line: (line.account_id, line.third_party.number if line.third_party else "")
    )
    assert {(r.code, r.nit): (r.opening, r.debit, r.credit) for r in rows} == expected
    assert {r.third_party_name for r in rows if r.nit == "900123456"} == {"Uno S.A.S."}
    assert [(r.code, r.nit) for r in rows] == sorted((r.code, r.nit) for r in rows)
