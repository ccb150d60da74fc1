import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from books.services.catalogs import third_party_create

from .conftest import post


def _trial_balance(*args) -> list[list[str]]:
    out = io.StringIO()
    call_command("trial_balance", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


@pytest.fixture
def march(books, bookkeeper):
    cliente = third_party_create(
        document_type="nit", number="900123456-8", person_type="juridica", business_name="Uno"
    )
    post(
        bookkeeper,
        [("130505", "1500.50", 0), ("413595", 0, "1500.50")],
        day=date(2026, 2, 20),
        third_party=cliente,
    )
    post(
        bookkeeper, [("110505", "1000", 0), ("130505", 0, "1000")], day=date(2026, 3, 5), third_party=cliente
    )
    post(bookkeeper, [("519530", "200", 0), ("110505", 0, "200")], day=date(2026, 3, 9))
    return cliente


@pytest.mark.parametrize("reference", ["slug", "900123456", "900.123.456-8", "9001234568"])
def test_trial_balance_prints_movement_accounts_for_the_company_by_slug_or_nit(
    march, company_pena, reference
):
    reference = company_pena.slug if reference == "slug" else reference
    rows = _trial_balance("--company", reference, "--from", "2026-03-01", "--to", "2026-03-31")
    assert rows == [
        ["code", "name", "opening", "debit", "credit", "closing"],
        ["110505", "CAJA GENERAL", "0.00", "1000.00", "200.00", "800.00"],
        ["130505", "NACIONALES", "1500.50", "0.00", "1000.00", "500.50"],
        ["413595", "VENTA DE OTROS PRODUCTOS", "-1500.50", "0.00", "0.00", "-1500.50"],
        ["519530", "UTILES, PAPELERIA Y FOTOCOPIAS", "0.00", "200.00", "0.00", "200.00"],
    ]


def test_trial_balance_by_level_and_by_third_party(march, company_pena):
    rows = _trial_balance(
        "--company", company_pena.slug, "--from", "2026-03-01", "--to", "2026-03-31", "--level", "clase"
    )
    assert [row[0] for row in rows[1:]] == ["1", "4", "5"]
    assert rows[1] == ["1", "ACTIVO", "1500.50", "1000.00", "1200.00", "1300.50"]
    rows = _trial_balance(
        "--company", company_pena.slug, "--from", "2026-03-01", "--to", "2026-03-31", "--by-third-party"
    )
    assert rows[0] == ["code", "name", "nit", "opening", "debit", "credit", "closing"]
    assert rows[1] == ["110505", "CAJA GENERAL", "", "0.00", "0.00", "200.00", "-200.00"]
    assert rows[2] == ["110505", "CAJA GENERAL", "900123456", "0.00", "1000.00", "0.00", "1000.00"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--company", "no-existe", "--from", "2026-01-01", "--to", "2026-01-31"], "No company"),
        (["--company", "900123456", "--from", "2026-13-01", "--to", "2026-01-31"], "not a date"),
        (["--company", "900123456", "--from", "2026-02-01", "--to", "2026-01-31"], "must not be after"),
    ],
)
def test_trial_balance_refuses_bad_arguments_with_a_message(march, args, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match=message):
        _trial_balance(*args)


def test_import_entries_refuses_numbers_amounts_and_dates_out_of_bounds_in_spanish(
    books, bookkeeper, company_pena, tmp_path
):
    from .test_journal import csv_file

    def pair(number, day="2026-03-05", amount="100"):
        return [
            ["ND", number, day, "110505", "", "", "", "", amount, ""],
            ["ND", number, day, "413595", "", "", "", "", "", amount],
        ]

    path = tmp_path / "notas.csv"
    path.write_bytes(
        csv_file([*pair("2147483647"), *pair("3", amount="10000000000000000"), *pair("4", day="9999-12-31")])
    )
    out = io.StringIO()
    call_command("import_entries", "--company", company_pena.slug, str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "ND-?: Fila 2: El número de un comprobante va de 1 a 999.999.999."
    assert lines[1].startswith("ND-3: Fila 4: el valor máximo de una línea es 999.999.999.999.999,99 Fila 5")
    assert lines[2].startswith("ND-4: La fecha 31/12/9999 está fuera de las fechas de la contabilidad: del ")
    assert lines[-1] == "entries=0 lines=0 skipped=0 errors=3"
