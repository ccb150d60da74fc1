"""Colombia's national tax calendar computed from the rules of Decreto 2229 de 2023.

Each obligation is due on the N-th business day of a month, N set by the last digit of the NIT
(1 → 7th ... 0 → 16th) or by pairs of digits for the régimen simple (1-2 → 11th ... 9-0 → 15th).
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


@dataclass(frozen=True)
class Rule:
    obligation: str
    article: str
    by_pairs: bool  # régimen simple: digit pairs, 11th..15th business day; else one digit, 7th..16th

    def periods(self, year: int) -> list[tuple[str, int, int]]:
        """(period label, due year, due month) of the obligations falling due in calendar year `year`."""
        return PERIODS[self.obligation](year)

    def business_day(self, digits: str) -> int:
        if self.by_pairs:
            return 11 + PAIRS.index(digits)
        return 7 + DIGITS.index(digits)

    @property
    def digit_labels(self) -> list[str]:
        return PAIRS if self.by_pairs else DIGITS


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
    "iva_bimestral": "1.6.1.13.2.30",
    "iva_cuatrimestral": "1.6.1.13.2.31",
    "retencion_fuente": "1.6.1.13.2.33",
    "rst_declaracion_anual_consolidada": "1.6.1.13.2.50",
    "rst_iva_declaracion_anual": "1.6.1.13.2.51",
    "rst_anticipo_bimestral": "1.6.1.13.2.52",
}
RULES = {
    code: Rule(code, ARTICLES[code], by_pairs=code.startswith("rst_") and "anticipo" not in code)
    for code in PERIODS
}


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


def digits_for_nit(tax_id: str, *, by_pairs: bool) -> str:
    last = tax_id.strip()[-1]
    if by_pairs:
        return next(pair for pair in PAIRS if last in pair.split("-"))
    return last


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
    for code in RULES:
        rule = RULES[code]
        for period, due_year, due_month in rule.periods(year):
            days = business_days(due_year, due_month, extra)
            for digits in rule.digit_labels:
                due, note = overrides.get((code, period, digits), (days[rule.business_day(digits) - 1], ""))
                rows.append(DueDate(code, period, digits, due, note))
    return rows
