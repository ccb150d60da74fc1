import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indicators.models import DueDateOverride, NonBusinessDay
from indicators.selectors import calendar_for_year
from indicators.taxcalendar import business_days, national_calendar

SAMPLE = Path(__file__).resolve().parents[2] / "indicators" / "data" / "co_tax_calendar_2026_sample.csv"


def _keyed(rows):
    return {(r.obligation, r.period, r.nit_last_digits): r.due_date for r in rows}


def _sample():
    with open(SAMPLE, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_engine_reproduces_every_row_of_the_2026_sample(db):
    computed = _keyed(calendar_for_year(2026))  # with the día cívico of the reference data
    sample = _sample()
    assert len(sample) == 160
    wrong = [
        (
            r["obligation"],
            r["period"],
            r["nit_last_digits"],
            r["due_date"],
            computed.get((r["obligation"], r["period"], r["nit_last_digits"])),
        )
        for r in sample
        if computed.get((r["obligation"], r["period"], r["nit_last_digits"]))
        != date.fromisoformat(r["due_date"])
    ]
    assert wrong == []


def test_the_dia_civico_is_what_moves_the_april_dates_from_the_first_published_calendar():
    without = _keyed(national_calendar(2026))
    with_day = _keyed(national_calendar(2026, extra_non_business=[date(2026, 4, 17)]))
    for row in _sample():
        key = (row["obligation"], row["period"], row["nit_last_digits"])
        published = date.fromisoformat(row["due_date_as_published_dec2025"])
        if published.month == 4:
            assert without[key] == published, key  # the rules give what DIAN first published
        assert with_day[key] == date.fromisoformat(row["due_date"]), key


def test_business_days_skip_weekends_and_colombian_holidays():
    march = business_days(2026, 3)
    assert date(2026, 3, 23) not in march  # San José, moved to Monday by Ley Emiliani
    assert date(2026, 3, 7) not in march and date(2026, 3, 8) not in march
    assert march[6] == date(2026, 3, 10)


def test_adding_a_non_business_day_moves_exactly_the_dates_it_should(db):
    before = _keyed(calendar_for_year(2026))
    NonBusinessDay.objects.create(day=date(2026, 3, 17), name="Paro nacional")
    after = _keyed(calendar_for_year(2026))
    moved = {key for key in before if before[key] != after[key]}
    # March 2026 due dates on or after the 17th move one business day; nothing else moves.
    expected = {
        key for key, day in before.items() if day.year == 2026 and day.month == 3 and day >= date(2026, 3, 17)
    }
    assert moved == expected and moved
    assert all(before[key] < after[key] for key in moved)
    assert all(after[key] != date(2026, 3, 17) for key in after)


def test_an_override_moves_one_due_date_with_its_note(db):
    DueDateOverride.objects.create(
        obligation="iva_bimestral",
        period="2026-01/02",
        nit_last_digits="3",
        due_date=date(2026, 3, 27),
        note="DIAN amplió el plazo",
    )
    rows = {(r.obligation, r.period, r.nit_last_digits): r for r in calendar_for_year(2026)}
    assert rows[("iva_bimestral", "2026-01/02", "3")].due_date == date(2026, 3, 27)
    assert rows[("iva_bimestral", "2026-01/02", "3")].note == "DIAN amplió el plazo"
    assert rows[("iva_bimestral", "2026-01/02", "4")].due_date == date(2026, 3, 13)


def test_2027_is_computed_from_the_same_rules():
    rows = _keyed(national_calendar(2027))
    # February 2027: the 1st is a Monday; the 7th business day is the 9th.
    assert rows[("renta_gc_pago_cuota1", "AG2026", "1")] == date(2027, 2, 9)
    assert rows[("renta_gc_pago_cuota1", "AG2026", "0")] == date(2027, 2, 22)
    # May 2027: 3-7 are business days 1-5, the 10th is Ascension (Monday): the 7th business day is the 12th.
    assert rows[("renta_pj_declaracion_y_pago_cuota1", "AG2026", "1")] == date(2027, 5, 12)
    assert rows[("iva_bimestral", "2027-11/12", "1")].year == 2028
    assert rows[("rst_declaracion_anual_consolidada", "AG2026", "1-2")].month == 4


def test_every_obligation_has_ten_digits_or_five_pairs_per_period():
    rows = national_calendar(2026)
    retention = [r for r in rows if r.obligation == "retencion_fuente"]
    assert len(retention) == 13 * 10  # Dec 2025 .. Dec 2026
    rst = [r for r in rows if r.obligation == "rst_declaracion_anual_consolidada"]
    assert [r.nit_last_digits for r in rst] == ["1-2", "3-4", "5-6", "7-8", "9-0"]
    assert [r.due_date.day for r in rst] == sorted(r.due_date.day for r in rst)


def _command(*args):
    out = StringIO()
    call_command("tax_calendar", *args, stdout=out)
    return list(csv.reader(StringIO(out.getvalue())))


def test_command_prints_the_calendar_as_csv(db):
    rows = _command("--country", "CO", "--year", "2026")
    assert rows[0] == ["obligation", "period", "nit_last_digits", "due_date"]
    assert ["renta_gc_pago_cuota1", "AG2025", "1", "2026-02-10"] in rows
    assert ["iva_bimestral", "2026-11/12", "0", "2027-01-26"] in rows


def test_command_prints_the_rows_of_one_nit(db):
    rows = _command("--country", "CO", "--year", "2026", "--nit", "900.123.456-8")
    assert rows[1:] and {row[2] for row in rows[1:]} == {"6", "5-6", "55-56"}


@pytest.mark.parametrize(
    "args", [["--country", "MX", "--year", "2026"], ["--year", "1999"], ["--year", "2026", "--nit", "x"]]
)
def test_command_refuses_what_it_cannot_compute(db, args):
    with pytest.raises(CommandError):
        _command(*args)


# Personas naturales (Decreto 2229 de 2023, art. 1.6.1.13.2.15) --------------------------------------

RULES_CSV = Path(__file__).resolve().parents[2] / "indicators" / "data" / "co_tax_rules_decreto_2229_2023.csv"


def test_renta_personas_naturales_goes_by_pairs_of_the_last_two_digits_from_august_to_october():
    rows = [r for r in national_calendar(2026) if r.obligation == "renta_personas_naturales"]
    assert len(rows) == 50 and {r.period for r in rows} == {"AG2025"}
    by_pair = {r.nit_last_digits: r.due_date for r in rows}
    # August 2026: the 7th is a holiday (Batalla de Boyacá): the 7th business day is the 12th.
    assert by_pair["01-02"] == date(2026, 8, 12)
    assert by_pair["25-26"].month == 8 and by_pair["27-28"] == date(2026, 9, 1)
    assert by_pair["65-66"].month == 9 and by_pair["67-68"] == date(2026, 10, 1)
    # October 2026: the 12th is a holiday (Día de la Raza): the 17th business day is the 26th.
    assert by_pair["99-00"] == date(2026, 10, 26)
    assert [r.due_date for r in rows] == sorted(r.due_date for r in rows)
    assert len({r.due_date for r in rows}) == 50  # one business day per pair


def test_the_last_two_digits_of_a_nit_give_its_pair():
    from indicators.taxcalendar import RULES

    rule = RULES["renta_personas_naturales"]
    assert rule.digits_of("79123456") == "55-56" and rule.digits_of("12345600") == "99-00"
    assert rule.digits_of("1001") == "01-02" and rule.digits_of("900123450") == "49-50"


def test_command_prints_every_obligation_of_the_decree_personas_naturales_included(db):
    with open(RULES_CSV, encoding="utf-8") as handle:
        decree = {row["obligation"] for row in csv.DictReader(handle)}
    rows = _command("--country", "CO", "--year", "2027")
    assert {row[0] for row in rows[1:]} == decree
    assert ["renta_personas_naturales", "AG2026", "01-02", "2027-08-10"] in rows
