from datetime import date

from books.demo import seed_books
from books.models import Balance, Entry, ThirdParty
from books.reports import trial_balance
from books.services.balances import balances_check


def test_the_demo_books_hold_a_balanced_year_of_every_kind_of_comprobante(books):
    posted = seed_books(seed=7)
    assert posted > 250
    kinds = set(Entry.objects.filter(status="posted").values_list("voucher_type__code", flat=True))
    assert kinds == {"SI", "FV", "RC", "FC", "CE", "CC"}
    months = {entry.date.replace(day=1) for entry in Entry.objects.filter(voucher_type__code="FV")}
    assert len(months) == 12
    assert (
        Entry.objects.filter(status="annulled").count() == 1
        and Entry.objects.filter(status="draft").count() == 1
    )
    rows = trial_balance(start=date(2000, 1, 1), end=date(2100, 1, 1))
    assert sum(row.closing for row in rows) == 0
    closing = {
        row.code: row.closing
        for row in trial_balance(start=date(2000, 1, 1), end=date(2100, 1, 1), level="cuenta")
    }
    assert (
        closing["1110"] > 0 and closing["1435"] > 0 and closing["2205"] == 0
    )  # bank and stock, suppliers paid
    assert ThirdParty.objects.filter(person_type="natural").count() == 3
    assert balances_check().differences == [] and Balance.objects.exists()
    assert seed_books(seed=7) == 0  # idempotent
