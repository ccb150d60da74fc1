"""Each report as a flat table for its files, rebuilt from plain parameters (so that a Celery job can make a
large one): the same functions the pages use, in the same order, with the same figures."""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.l10n import format_date

from ..models import ZERO, CostCenter, ThirdParty
from .exports import Column, TableReport
from .ledgers import (
    auxiliary_groups,
    auxiliary_items,
    auxiliary_lines,
    general_ledger,
    journal_by_day,
    journal_entries,
)
from .statements import statements
from .trial_balance import Scope, trial_balance

LEVEL_NAMES = {
    "clase": gettext_lazy("class"),
    "grupo": gettext_lazy("group"),
    "cuenta": gettext_lazy("account"),
    "subcuenta": gettext_lazy("sub-account"),
    "auxiliar": gettext_lazy("auxiliary"),
}


@dataclass
class ReportParams:
    """What a report shows, as the page's filters chose it."""

    start: date
    end: date
    level: str = ""
    by_third_party: bool = False
    include_zero: bool = False
    summary: bool = False
    scope: Scope = field(default_factory=Scope)

    def to_json(self) -> dict:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ReportParams":
        data = dict(data)
        data["start"], data["end"] = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
        data["scope"] = Scope(**data["scope"])
        return cls(**data)

    @property
    def period(self) -> str:
        return _("From %(start)s to %(end)s") % {
            "start": format_date(self.start),
            "end": format_date(self.end),
        }

    def scope_text(self) -> str:
        parts = []
        scope = self.scope
        if scope.account_from or scope.account_to:
            parts.append(
                _("accounts %(first)s to %(last)s")
                % {"first": scope.account_from or "…", "last": scope.account_to or "…"}
            )
        if scope.third_party:
            third_party = ThirdParty.objects.filter(pk=scope.third_party).first()
            parts.append(_("tercero %(name)s") % {"name": third_party.display_name if third_party else "?"})
        if scope.cost_center:
            center = CostCenter.objects.filter(pk=scope.cost_center).first()
            parts.append(_("cost center %(code)s") % {"code": center.code if center else "?"})
        return ", ".join(parts)

    def heading(self) -> str:
        return " · ".join(part for part in (self.period, self.scope_text()) if part)


MONEY = ["opening", "debit", "credit", "closing"]


def trial_balance_rows(params: ReportParams) -> list:
    """The trial balance the page's filters ask for (the page, its files and its print view)."""
    return trial_balance(
        start=params.start,
        end=params.end,
        level=params.level or None,
        by_third_party=params.by_third_party,
        scope=params.scope,
        include_zero=params.include_zero,
    )


def _check_digit_columns() -> list[Column]:
    return [Column(_("NIT")), Column(_("DV")), Column(_("Tercero"))]


def trial_balance_table(params: ReportParams) -> TableReport:
    rows = trial_balance_rows(params)
    columns = [Column(_("Code")), Column(_("Account"))]
    if params.by_third_party:
        columns += _check_digit_columns()
    columns += [
        Column(_("Opening balance"), "money"),
        Column(_("Debits"), "money"),
        Column(_("Credits"), "money"),
        Column(_("Closing balance"), "money"),
    ]
    title = _("Trial balance by tercero") if params.by_third_party else _("Trial balance")
    if params.level:
        title = f"{title} ({LEVEL_NAMES[params.level]})"
    tercero = 3 if params.by_third_party else 0

    def table():
        totals = [ZERO] * 4
        for row in rows:
            figures = [row.opening, row.debit, row.credit, row.closing]
            totals = [total + figure for total, figure in zip(totals, figures, strict=True)]
            yield [
                row.code,
                row.name,
                *([row.nit, row.check_digit, row.third_party_name] if params.by_third_party else []),
                *figures,
            ]
        yield [_("Totals"), "", *[""] * tercero, *totals]

    return TableReport(title, params.heading(), columns, table(), params.start, params.end)


def auxiliary_table(params: ReportParams) -> TableReport:
    """The libro auxiliar as one flat table: per account (and tercero, when asked) its opening balance, its
    lines with their running balance and its subtotals; then the totals. Every row names its account."""
    groups, _count = auxiliary_groups(
        start=params.start, end=params.end, scope=params.scope, by_third_party=params.by_third_party
    )
    columns = [
        Column(_("Account")),
        Column(_("Account name")),
        Column(_("Date"), "date"),
        Column(_("Comprobante")),
        *_check_digit_columns(),
        Column(_("Cost center")),
        Column(_("Description")),
        Column(_("Debit"), "money"),
        Column(_("Credit"), "money"),
        Column(_("Balance"), "money"),
    ]
    rows = _auxiliary_rows(params, groups)
    return TableReport(_("Auxiliary ledger"), params.heading(), columns, rows, params.start, params.end)


def _auxiliary_rows(params: ReportParams, groups: list):
    """Each group's opening row, its lines and its closing row, streamed from the database; the totals."""
    by_third_party = params.by_third_party
    lines = auxiliary_lines(
        start=params.start,
        end=params.end,
        scope=params.scope,
        groups=groups,
        by_third_party=params.by_third_party,
    )
    for item in auxiliary_items(groups, lines):
        group, line = item.group, item.line
        head = [group.account, group.account_name]
        tercero = [group.nit, group.check_digit, group.third_party] if by_third_party else ["", "", ""]
        if item.kind == "group":
            yield [*head, params.start, "", *tercero, "", _("Opening balance"), None, None, group.opening]
        elif item.kind == "line":
            yield [
                *head,
                line.day,
                f"{line.voucher}-{line.number}",
                line.nit,
                line.check_digit,
                line.third_party,
                line.cost_center,
                line.description,
                line.debit,
                line.credit,
                line.balance,
            ]
        else:
            closing = [group.debit, group.credit, group.closing]
            yield [*head, params.end, "", *tercero, "", _("Total and closing balance"), *closing]
    debit = sum((group.debit for group in groups), ZERO)
    credit = sum((group.credit for group in groups), ZERO)
    closing = sum((group.closing for group in groups), ZERO)
    yield [_("Totals"), "", None, "", "", "", "", "", "", debit, credit, closing]


def journal_table(params: ReportParams) -> TableReport:
    if params.summary:
        columns = [
            Column(_("Date"), "date"),
            Column(_("Type")),
            Column(_("Name")),
            Column(_("Comprobantes"), "number"),
            Column(_("Debits"), "money"),
            Column(_("Credits"), "money"),
        ]

        def summary():
            entries, debit, credit = 0, ZERO, ZERO
            for t in journal_by_day(start=params.start, end=params.end):
                entries, debit, credit = entries + t.entries, debit + t.debit, credit + t.credit
                yield [t.day, t.voucher, t.voucher_name, t.entries, t.debit, t.credit]
            yield [None, _("Totals"), "", entries, debit, credit]

        return TableReport(
            _("Journal, by day and type"), params.period, columns, summary(), params.start, params.end
        )
    columns = [
        Column(_("Date"), "date"),
        Column(_("Comprobante")),
        Column(_("Description")),
        Column(_("Account")),
        Column(_("Account name")),
        *_check_digit_columns(),
        Column(_("Cost center")),
        Column(_("Debit"), "money"),
        Column(_("Credit"), "money"),
    ]

    def table():
        debit = credit = ZERO
        for entry in journal_entries(start=params.start, end=params.end).iterator(chunk_size=500):
            for line in entry.lines.all():
                debit, credit = debit + line.debit, credit + line.credit
                tercero = line.third_party
                yield [
                    entry.date,
                    entry.label,
                    line.description or entry.description,
                    line.account_id,
                    line.account.name,
                    tercero.number if tercero else "",
                    tercero.check_digit if tercero else "",
                    tercero.display_name if tercero else "",
                    line.cost_center.code if line.cost_center else "",
                    line.debit,
                    line.credit,
                ]
        yield [None, _("Totals"), "", "", "", "", "", "", "", debit, credit]

    return TableReport(_("Journal"), params.period, columns, table(), params.start, params.end)


def general_ledger_table(params: ReportParams) -> TableReport:
    columns = [
        Column(_("Account")),
        Column(_("Name")),
        Column(_("Month")),
        *[
            Column(header, "money")
            for header in (_("Opening balance"), _("Debits"), _("Credits"), _("Closing balance"))
        ],
    ]

    def table():
        # Totals: the accounts' opening balances at the start, their movements, their closing balances.
        opening = debit = credit = closing = ZERO
        for account in general_ledger(start=params.start, end=params.end):
            opening += account.months[0].opening
            closing += account.months[-1].closing
            for month in account.months:
                debit, credit = debit + month.debit, credit + month.credit
                yield [
                    account.code,
                    account.name,
                    month.month.strftime("%Y-%m"),
                    month.opening,
                    month.debit,
                    month.credit,
                    month.closing,
                ]
        yield [_("Totals"), "", "", opening, debit, credit, closing]

    return TableReport(
        _("General ledger and balances"), params.period, columns, table(), params.start, params.end
    )


def statements_table(params: ReportParams) -> TableReport:
    result = statements(start=params.start, end=params.end)
    columns = [
        Column(_("Statement")),
        Column(_("Heading")),
        Column(_("Current period"), "money"),
        Column(_("Previous year"), "money"),
    ]

    def table():
        for line in result.balance_sheet:
            shown = line.kind not in ("heading", "section")
            current, previous = (line.current, line.previous) if shown else (None, None)
            yield [_("Statement of financial position"), line.label, current, previous]
        for line in result.income:
            yield [_("Income statement"), line.label, line.current, line.previous]

    return TableReport(_("Financial statements"), params.period, columns, table(), params.start, params.end)


TABLES = {
    "trial_balance": trial_balance_table,
    "auxiliary": auxiliary_table,
    "journal": journal_table,
    "general_ledger": general_ledger_table,
    "statements": statements_table,
}
