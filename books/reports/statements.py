"""The financial statements under NIIF para Pymes headings, mapped from the PUC's classes and groups: the
estado de situación financiera at a date and the estado de resultados for a period, each beside the same date
or period of the year before. The period's result stands in equity until the year is closed, so that
Activo = Pasivo + Patrimonio holds."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from ..models import ZERO
from .trial_balance import movements_sql

# (heading, PUC groups) per section. Groups are the PUC's own (a company adds accounts, never groups); in the
# estado de resultados a group not named falls to its class's "other" heading.
ASSETS = [
    (_("Current assets"), [
        (_("Cash and cash equivalents"), ["11"]),
        (_("Investments"), ["12"]),
        (_("Trade and other receivables"), ["13"]),
        (_("Inventories"), ["14"]),
    ]),
    (_("Non-current assets"), [
        (_("Property, plant and equipment"), ["15"]),
        (_("Intangible assets"), ["16"]),
        (_("Deferred assets"), ["17"]),
        (_("Other assets"), ["18"]),
        (_("Revaluations"), ["19"]),
    ]),
]  # fmt: skip
LIABILITIES = [
    (_("Current liabilities"), [
        (_("Financial obligations"), ["21"]),
        (_("Suppliers"), ["22"]),
        (_("Accounts payable"), ["23"]),
        (_("Taxes, levies and fees"), ["24"]),
        (_("Employee obligations"), ["25"]),
        (_("Estimated liabilities and provisions"), ["26"]),
    ]),
    (_("Non-current liabilities"), [
        (_("Deferred liabilities"), ["27"]),
        (_("Other liabilities"), ["28"]),
        (_("Bonds and commercial paper"), ["29"]),
    ]),
]  # fmt: skip
EQUITY = [
    (_("Equity"), [
        (_("Share capital"), ["31"]),
        (_("Capital surplus"), ["32"]),
        (_("Reserves"), ["33"]),
        (_("Equity revaluation"), ["34"]),
        (_("Dividends declared in shares"), ["35"]),
        (_("Profit or loss for the year"), ["36"]),
        (_("Retained earnings"), ["37"]),
        (_("Revaluation surplus"), ["38"]),
    ]),
]  # fmt: skip
INCOME = [
    (_("Revenue"), ["41"], 1),
    (_("Cost of sales"), ["6", "7"], -1),
    (_("Administrative expenses"), ["51"], -1),
    (_("Selling expenses"), ["52"], -1),
    (_("Other income"), ["42", "47", "4"], 1),
    (_("Other expenses"), ["53", "59", "5"], -1),
    (_("Income tax"), ["54"], -1),
]
RESULT_CLASSES = ("4", "5", "6", "7")


@dataclass
class Line:
    """One heading of a statement, its figure now and a year before (positive as the statement shows it)."""

    label: str
    current: Decimal = ZERO
    previous: Decimal = ZERO
    groups: list[str] = field(default_factory=list)
    kind: str = "line"  # line, subtotal, total


@dataclass
class Statements:
    balance_sheet: list[Line]
    income: list[Line]
    assets: Line
    liabilities_and_equity: Line
    profit: Line

    @property
    def balances(self) -> bool:
        """Activo = Pasivo + Patrimonio, now and a year before."""
        return (
            self.assets.current == self.liabilities_and_equity.current
            and self.assets.previous == self.liabilities_and_equity.previous
        )


def _group_figures(start: date, end: date) -> tuple[dict, dict, Decimal]:
    """Per PUC group: the balance at `end` (debit-positive) and the movement of [start, end]; and the result
    of classes 4 to 7 left from before `start` (not closed)."""
    movements, params = movements_sql(start=start, end=end)
    sql = (
        f"SELECT left(m.a, 2), sum(m.o), sum(m.d), sum(m.c) FROM ({movements}) AS m(a, t, cc, o, d, c) "  # noqa: S608
        "GROUP BY 1"
    )
    balances, moved = {}, {}
    earlier_result = ZERO
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, opening, debit, credit in cursor:
            balances[group] = opening + debit - credit
            moved[group] = debit - credit
            if group[0] in RESULT_CLASSES:
                earlier_result += opening
    return balances, moved, earlier_result


def _pick(figures: dict[str, Decimal], prefixes: list[str], taken: set[str]) -> Decimal:
    total = ZERO
    for group, value in figures.items():
        if group not in taken and any(group.startswith(prefix) for prefix in prefixes):
            total += value
            taken.add(group)
    return total


def _income(moved: dict[str, Decimal]) -> tuple[list[tuple], Decimal]:
    taken: set[str] = set()
    figures = [(label, sign * -_pick(moved, groups, taken)) for label, groups, sign in INCOME]
    return figures, sum(
        (value * sign for (_label, value), (_l, _g, sign) in zip(figures, INCOME, strict=True)), ZERO
    )


def _section(title, headings, balances, sign, taken) -> tuple[list[tuple], Decimal]:
    rows = [(title, None, "heading")]
    total = ZERO
    for label, groups in headings:
        value = sign * _pick(balances, groups, taken)
        rows.append((label, value, "line"))
        total += value
    return rows, total


def _side(balances: dict[str, Decimal], moved: dict[str, Decimal], earlier_result: Decimal):
    """The balance sheet's rows (label, figure, kind) and its totals, for one date."""
    income, profit = _income(moved)
    taken: set[str] = set()
    rows = [(_("Assets"), None, "section")]
    assets = ZERO
    for title, headings in ASSETS:
        part, subtotal = _section(title, headings, balances, 1, taken)
        rows += part + [(_("Total %(section)s") % {"section": str(title).lower()}, subtotal, "subtotal")]
        assets += subtotal
    rows.append((_("Total assets"), assets, "total"))
    rows.append((_("Liabilities"), None, "section"))
    liabilities = ZERO
    for title, headings in LIABILITIES:
        part, subtotal = _section(title, headings, balances, -1, taken)
        rows += part + [(_("Total %(section)s") % {"section": str(title).lower()}, subtotal, "subtotal")]
        liabilities += subtotal
    rows.append((_("Total liabilities"), liabilities, "total"))
    part, equity = _section(_("Equity"), EQUITY[0][1], balances, -1, taken)
    rows += part
    rows.append((_("Profit or loss of the period, not closed yet"), profit, "line"))
    rows.append((_("Results of earlier years, not closed yet"), -earlier_result, "line"))
    equity += profit - earlier_result
    rows.append((_("Total equity"), equity, "total"))
    rows.append((_("Total liabilities and equity"), liabilities + equity, "total"))
    return rows, income, assets, liabilities + equity, profit


def statements(*, start: date, end: date) -> Statements:
    """The estado de situación financiera at `end` and the estado de resultados of [start, end], beside the
    same of one year before."""
    current = _side(*_group_figures(start, end))
    previous = _side(*_group_figures(_year_before(start), _year_before(end)))
    balance_sheet = [
        Line(str(label), now or ZERO, before or ZERO, kind=kind)
        for (label, now, kind), (_l, before, _k) in zip(current[0], previous[0], strict=True)
        if kind != "line" or now or before  # headings without figures in either year are left out
    ]
    income = [
        Line(str(label), now, before)
        for (label, now), (_l, before) in zip(current[1], previous[1], strict=True)
    ]
    # Subtotals as an estado de resultados shows them.
    revenue, cost, admin, selling, other_income, other_expenses, tax = income
    gross = Line(
        str(_("Gross profit")),
        revenue.current - cost.current,
        revenue.previous - cost.previous,
        kind="subtotal",
    )
    operating = Line(
        str(_("Operating profit")),
        gross.current - admin.current - selling.current,
        gross.previous - admin.previous - selling.previous,
        kind="subtotal",
    )
    before_tax = Line(
        str(_("Profit before tax")),
        operating.current + other_income.current - other_expenses.current,
        operating.previous + other_income.previous - other_expenses.previous,
        kind="subtotal",
    )
    profit = Line(str(_("Profit or loss for the period")), current[4], previous[4], kind="total")
    income_rows = [
        revenue,
        cost,
        gross,
        admin,
        selling,
        operating,
        other_income,
        other_expenses,
        before_tax,
        tax,
        profit,
    ]
    assets = Line(str(_("Total assets")), current[2], previous[2], kind="total")
    liabilities_and_equity = Line(
        str(_("Total liabilities and equity")), current[3], previous[3], kind="total"
    )
    return Statements(balance_sheet, income_rows, assets, liabilities_and_equity, profit)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
