"""Colombia's national tax calendar computed from the rules of Decreto 2229 de 2023.

Each obligation is due on the N-th business day of a month, N set by the last digit of the NIT
(1 → 7th ... 0 → 16th), by pairs of digits for the régimen simple (1-2 → 11th ... 9-0 → 15th), or, for
the income tax of personas naturales, by pairs of the last two digits from August to October (01-02 →
7th business day of August ... 99-00 → 17th of October).
Business days are Monday to Friday, minus Colombia's holidays (the `holidays` package, with the Ley
Emiliani moves), minus the extra non-business days an admin enters; an admin can also move one due
date. A calendar "year Y" holds what falls due in Y: the income tax of the year Y-1 and the periods
of Y, plus the last period of Y-1 (due in January of Y) and the last of Y (due in January of Y+1),
as DIAN publishes it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
PAIRS = ["1-2", "3-4", "5-6", "7-8", "9-0"]
# Personas naturales: pairs of the NIT's last two digits, "01-02" ... "99-00".
TWO_DIGIT_PAIRS = [f"{n:02d}-{(n + 1) % 100:02d}" for n in range(1, 100, 2)]
# ... due in August (business days 7..19), September (1..20) and October (1..17): 13 + 20 + 17 pairs.
PERSONAS_NATURALES_MONTHS = [(8, 7, 13), (9, 1, 20), (10, 1, 17)]  # month, first business day, pairs


class Digits:
    """How a rule reads the NIT (without its check digit)."""

    LAST = "last digit"  # 1 -> 7th business day ... 0 -> 16th
    PAIRS = "last digit in pairs"  # régimen simple: 1-2 -> 11th ... 9-0 -> 15th
    LAST_TWO = "last two digits in pairs"  # personas naturales: 01-02 ... 99-00, August to October


@dataclass(frozen=True)
class Rule:
    obligation: str
    article: str
    digits: str = Digits.LAST

    def periods(self, year: int) -> list[tuple[str, int, int]]:
        """(period label, due year, due month) of the obligations falling due in calendar year `year`."""
        return PERIODS[self.obligation](year)

    @property
    def digit_labels(self) -> list[str]:
        return {Digits.LAST: DIGITS, Digits.PAIRS: PAIRS, Digits.LAST_TWO: TWO_DIGIT_PAIRS}[self.digits]

    def schedule(self, due_month: int) -> list[tuple[str, int, int]]:
        """(NIT digits label, month, N-th business day) of each label, for a period due in `due_month`."""
        if self.digits == Digits.LAST_TWO:
            labels = iter(TWO_DIGIT_PAIRS)
            return [
                (next(labels), month, first + offset)
                for month, first, count in PERSONAS_NATURALES_MONTHS
                for offset in range(count)
            ]
        first = 11 if self.digits == Digits.PAIRS else 7
        return [(label, due_month, first + index) for index, label in enumerate(self.digit_labels)]

    def digits_of(self, tax_id: str) -> str:
        """The label of a NIT (without its check digit): "900123456" -> "6", "5-6" or "55-56"."""
        number = "".join(ch for ch in tax_id if ch.isdigit()) or "0"
        if self.digits == Digits.LAST_TWO:
            last_two = int(number[-2:]) or 100
            return TWO_DIGIT_PAIRS[(last_two - 1) // 2]
        last = number[-1]
        if self.digits == Digits.PAIRS:
            return next(pair for pair in PAIRS if last in pair.split("-"))
        return last


def _annual(month: int):
    return lambda year: [(f"AG{year - 1}", year, month)]


def _bimonthly(due_months: dict[int, int]):
    """Two-month periods (first month -> month due), with November-December falling due next January."""

    def periods(year):
        rows = [(f"{year - 1}-11/12", year, 1)]
        rows += [(f"{year}-{first:02d}/{first + 1:02d}", year, due) for first, due in due_months.items()]
        return rows + [(f"{year}-11/12", year + 1, 1)]

    return periods


def _four_monthly(year):
    return [
        (f"{year - 1}-09/12", year, 1),
        (f"{year}-01/04", year, 5),
        (f"{year}-05/08", year, 9),
        (f"{year}-09/12", year + 1, 1),
    ]


def _monthly(year):
    rows = [(f"{year - 1}-12", year, 1)]
    rows += [(f"{year}-{month:02d}", year, month + 1) for month in range(1, 12)]
    return rows + [(f"{year}-12", year + 1, 1)]


PERIODS = {
    "renta_gc_pago_cuota1": _annual(2),
    "renta_gc_declaracion_y_pago_cuota2": _annual(4),
    "renta_gc_pago_cuota3": _annual(6),
    "renta_pj_declaracion_y_pago_cuota1": _annual(5),
    "renta_pj_pago_cuota2": _annual(7),
    "renta_personas_naturales": _annual(8),  # August to October: see PERSONAS_NATURALES_MONTHS
    "iva_bimestral": _bimonthly({1: 3, 3: 5, 5: 7, 7: 9, 9: 11}),
    "iva_cuatrimestral": _four_monthly,
    "retencion_fuente": _monthly,
    "rst_declaracion_anual_consolidada": _annual(4),
    "rst_iva_declaracion_anual": _annual(2),
    "rst_anticipo_bimestral": _bimonthly({1: 5, 3: 6, 5: 7, 7: 9, 9: 11}),
}
ARTICLES = {
    "renta_gc_pago_cuota1": "1.6.1.13.2.11",
    "renta_gc_declaracion_y_pago_cuota2": "1.6.1.13.2.11",
    "renta_gc_pago_cuota3": "1.6.1.13.2.11",
    "renta_pj_declaracion_y_pago_cuota1": "1.6.1.13.2.12",
    "renta_pj_pago_cuota2": "1.6.1.13.2.12",
    "renta_personas_naturales": "1.6.1.13.2.15",
    "iva_bimestral": "1.6.1.13.2.30",
    "iva_cuatrimestral": "1.6.1.13.2.31",
    "retencion_fuente": "1.6.1.13.2.33",
    "rst_declaracion_anual_consolidada": "1.6.1.13.2.50",
    "rst_iva_declaracion_anual": "1.6.1.13.2.51",
    "rst_anticipo_bimestral": "1.6.1.13.2.52",
}
DIGITS_OF = {
    "rst_declaracion_anual_consolidada": Digits.PAIRS,
    "rst_iva_declaracion_anual": Digits.PAIRS,
    "renta_personas_naturales": Digits.LAST_TWO,
}
RULES = {code: Rule(code, ARTICLES[code], DIGITS_OF.get(code, Digits.LAST)) for code in PERIODS}


@dataclass(frozen=True)
class DueDate:
    obligation: str
    period: str
    nit_last_digits: str
    due_date: date
    note: str = ""


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Colombia(years=year))


def business_days(year: int, month: int, extra_non_business: frozenset[date] = frozenset()) -> list[date]:
    day = date(year, month, 1)
    days = []
    while day.month == month:
        if day.weekday() < 5 and day not in _holidays(year) and day not in extra_non_business:
            days.append(day)
        day += timedelta(days=1)
    return days


def national_calendar(
    year: int,
    *,
    extra_non_business: Iterable[date] = (),
    overrides: dict[tuple[str, str, str], tuple[date, str]] | None = None,
) -> list[DueDate]:
    """Every due date of calendar year `year`: obligation, period, NIT digits and date."""
    extra = frozenset(extra_non_business)
    overrides = overrides or {}
    rows = []
    for code, rule in RULES.items():
        for period, due_year, due_month in rule.periods(year):
            for digits, month, nth in rule.schedule(due_month):
                computed = business_days(due_year, month, extra)[nth - 1]
                due, note = overrides.get((code, period, digits), (computed, ""))
                rows.append(DueDate(code, period, digits, due, note))
    return rows
