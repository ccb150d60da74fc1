"""Comprobantes: drafts, posting, annulment, reversal and copies.

The checks here give the accountant a clear message per line; PostgreSQL enforces the same rules again
(books/migrations/0006_ledger_rules.py), so no other path can break them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ZERO, Account, BooksSettings, CostCenter, Entry, EntryLine, ThirdParty, VoucherType
from .common import BooksError, actor

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineInput:
    account: str  # the account's code
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    third_party: int | None = None
    cost_center: int | None = None
    description: str = ""

    def __post_init__(self):
        for side in ("debit", "credit"):
            amount = getattr(self, side)
            object.__setattr__(
                self, side, amount if isinstance(amount, Decimal) else Decimal(str(amount or 0))
            )


class EntryProblem(BooksError):
    """The comprobante cannot be posted: every reason, with the line it is about (1-based) or None."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        super().__init__(str(self))

    def __str__(self):
        return " ".join(
            (_("Line %(line)s: %(problem)s") % {"line": line, "problem": text}) if line else text
            for line, text in self.problems
        )


def lock_date() -> date | None:
    return BooksSettings.objects.values_list("lock_date", flat=True).first()


def _is_open(day: date) -> bool:
    locked = lock_date()
    return locked is None or day > locked


def _closed_message(day: date) -> str:
    return _("The books are locked up to %(lock)s: %(date)s is in a closed period.") % {
        "lock": lock_date().strftime("%d/%m/%Y"),
        "date": day.strftime("%d/%m/%Y"),
    }


def lines_check(lines: list[LineInput], *, day: date, for_posting: bool) -> list[tuple[int | None, str]]:
    """Every problem of a comprobante's lines; a draft may be unbalanced or incomplete, a posting may not."""
    problems: list[tuple[int | None, str]] = []
    accounts = Account.objects.in_bulk([line.account for line in lines])
    with_children = set(
        Account.objects.filter(parent_id__in=accounts.keys()).values_list("parent_id", flat=True)
    )
    third_parties = ThirdParty.objects.in_bulk([line.third_party for line in lines if line.third_party])
    cost_centers = CostCenter.objects.in_bulk([line.cost_center for line in lines if line.cost_center])
    for number, line in enumerate(lines, start=1):
        account = accounts.get(line.account)
        amounts = (line.debit or ZERO, line.credit or ZERO)
        if account is None:
            problems.append((number, _("account %(code)s does not exist") % {"code": line.account}))
            continue
        if account.code in with_children:
            problems.append(
                (
                    number,
                    _(
                        "account %(code)s has sub-accounts; use one of them "
                        "(only movement accounts take postings)"
                    )
                    % {"code": account.code},
                )
            )
        if not account.is_active:
            problems.append((number, _("account %(code)s is inactive") % {"code": account.code}))
        if any(amount < 0 for amount in amounts):
            problems.append((number, _("amounts cannot be negative")))
        elif (amounts[0] > 0) == (amounts[1] > 0):
            problems.append((number, _("write the amount either as a debit or as a credit")))
        if any(amount != amount.quantize(CENT) for amount in amounts):
            problems.append((number, _("amounts have at most 2 decimals")))
        third_party = third_parties.get(line.third_party) if line.third_party else None
        if line.third_party and third_party is None:
            problems.append((number, _("the tercero does not exist")))
        elif third_party is not None and not third_party.is_active:
            problems.append((number, _("tercero %(name)s is inactive") % {"name": third_party.display_name}))
        elif for_posting and account.requires_third_party and third_party is None:
            problems.append((number, _("account %(code)s requires a tercero") % {"code": account.code}))
        cost_center = cost_centers.get(line.cost_center) if line.cost_center else None
        if line.cost_center and cost_center is None:
            problems.append((number, _("the cost center does not exist")))
        elif cost_center is not None and not cost_center.is_active:
            problems.append((number, _("cost center %(code)s is inactive") % {"code": cost_center.code}))
        elif for_posting and account.requires_cost_center and cost_center is None:
            problems.append((number, _("account %(code)s requires a cost center") % {"code": account.code}))
    if for_posting:
        debits = sum((line.debit or ZERO for line in lines), ZERO)
        credits = sum((line.credit or ZERO for line in lines), ZERO)
        if len(lines) < 2:
            problems.append((None, _("A comprobante has at least two lines.")))
        elif debits != credits:
            problems.append(
                (
                    None,
                    _("Debits (%(debits)s) and credits (%(credits)s) differ by %(difference)s.")
                    % {"debits": debits, "credits": credits, "difference": abs(debits - credits)},
                )
            )
        if not _is_open(day):
            problems.append((None, _closed_message(day)))
    return problems


def _save(entry: Entry | None, *, voucher_type, day, description, lines, user, source) -> Entry:
    editing = entry is not None
    if entry is None:
        who = actor(user)
        entry = Entry(prepared_by_id=who["id"], prepared_by_name=who["name"], source=source)
    else:
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_draft:
            raise BooksError(_("This comprobante is already posted: it can no longer be edited."))
    entry.voucher_type = voucher_type
    entry.date = day
    entry.description = description.strip()[:300]
    entry.total = sum((line.debit or ZERO for line in lines), ZERO)
    entry.save()
    if editing:
        entry.lines.all().delete()
    EntryLine.objects.bulk_create(
        EntryLine(
            entry=entry,
            line_no=number,
            date=entry.date,
            account_id=line.account,
            third_party_id=line.third_party,
            cost_center_id=line.cost_center,
            description=line.description.strip()[:300],
            debit=line.debit or ZERO,
            credit=line.credit or ZERO,
        )
        for number, line in enumerate(lines, start=1)
    )
    return entry


def _post(entry: Entry, *, user, number: int | None = None) -> Entry:
    """Number and post a checked draft (the database checks it again and counts it in the balances)."""
    who = actor(user)
    entry.number = _next_number(entry.voucher_type_id, number)
    entry.status = Entry.Status.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by_id, entry.posted_by_name = who["id"], who["name"]
    entry.save(update_fields=["number", "status", "posted_at", "posted_by_id", "posted_by_name"])
    return entry


def entry_save_draft(
    *,
    voucher_type: VoucherType,
    day: date,
    description: str,
    lines: list[LineInput],
    user,
    entry: Entry | None = None,
    source: str = Entry.Source.MANUAL,
) -> Entry:
    """Create or replace a draft: it may be unbalanced or incomplete, but each line must make sense."""
    problems = lines_check(lines, day=day, for_posting=False)
    if problems:
        raise EntryProblem(problems)
    with transaction.atomic():
        return _save(
            entry,
            voucher_type=voucher_type,
            day=day,
            description=description,
            lines=lines,
            user=user,
            source=source,
        )


def _lines_of(entry: Entry) -> list[LineInput]:
    return [
        LineInput(
            account=line.account_id,
            debit=line.debit,
            credit=line.credit,
            third_party=line.third_party_id,
            cost_center=line.cost_center_id,
            description=line.description,
        )
        for line in entry.lines.order_by("line_no")
    ]


def _next_number(voucher_type_id: int, wanted: int | None = None) -> int:
    """The type's next free number (or `wanted`, for imported comprobantes that keep theirs)."""
    voucher_type = VoucherType.objects.select_for_update().get(pk=voucher_type_id)
    number = wanted or voucher_type.next_number
    if wanted is None:
        taken = set(
            Entry.objects.filter(voucher_type_id=voucher_type_id, number__gte=number).values_list(
                "number", flat=True
            )
        )
        while number in taken:
            number += 1
    if number >= voucher_type.next_number:
        voucher_type.next_number = number + 1
        voucher_type.save(update_fields=["next_number"])
    return number


def entry_post(*, entry: Entry, user, number: int | None = None) -> Entry:
    """Post a draft: checked, numbered with its type's consecutive, and counted in the balances."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_draft:
            raise BooksError(_("This comprobante is already posted."))
        problems = lines_check(_lines_of(entry), day=entry.date, for_posting=True)
        if problems:
            raise EntryProblem(problems)
        return _post(entry, user=user, number=number)


def entry_save_and_post(
    *,
    voucher_type: VoucherType,
    day: date,
    description: str,
    lines: list[LineInput],
    user,
    entry: Entry | None = None,
    source: str = Entry.Source.MANUAL,
) -> Entry:
    """The form's "Contabilizar": the draft and its posting together, or nothing."""
    problems = lines_check(lines, day=day, for_posting=True)
    if problems:
        raise EntryProblem(problems)
    with transaction.atomic():
        entry = _save(
            entry,
            voucher_type=voucher_type,
            day=day,
            description=description,
            lines=lines,
            user=user,
            source=source,
        )
        return _post(entry, user=user)


def entry_annul(*, entry: Entry, user, reason: str) -> Entry:
    """The number stays and the effect goes: the comprobante keeps its lines and leaves the balances."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise BooksError(_("Write why the comprobante is annulled."))
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != Entry.Status.POSTED:
            raise BooksError(_("Only a posted comprobante can be annulled."))
        if not _is_open(entry.date):
            raise BooksError(_closed_message(entry.date))
        who = actor(user)
        entry.status = Entry.Status.ANNULLED
        entry.annulled_at = timezone.now()
        entry.annulled_by_id, entry.annulled_by_name = who["id"], who["name"]
        entry.annul_reason = reason
        entry.save(
            update_fields=["status", "annulled_at", "annulled_by_id", "annulled_by_name", "annul_reason"]
        )
    return entry


def entry_reverse(*, entry: Entry, day: date, user, description: str = "") -> Entry:
    """A contra-asiento: a new posted comprobante of the same type with every line's sides swapped, dated by
    the accountant in an open period. The original stays as it is."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("voucher_type").get(pk=entry.pk)
        if entry.status != Entry.Status.POSTED:
            raise BooksError(_("Only a posted comprobante can be reversed."))
        if entry.reversals.filter(status=Entry.Status.POSTED).exists():
            raise BooksError(_("This comprobante was already reversed."))
        lines = [
            LineInput(
                account=line.account,
                debit=line.credit,
                credit=line.debit,
                third_party=line.third_party,
                cost_center=line.cost_center,
                description=line.description,
            )
            for line in _lines_of(entry)
        ]
        problems = lines_check(lines, day=day, for_posting=True)
        if problems:
            raise EntryProblem(problems)
        reversal = entry_save_draft(
            voucher_type=entry.voucher_type,
            day=day,
            description=description.strip() or _("Reversal of %(label)s") % {"label": entry.label},
            lines=lines,
            user=user,
            source=Entry.Source.REVERSAL,
        )
        reversal.reversal_of = entry
        reversal.save(update_fields=["reversal_of"])
        return entry_post(entry=reversal, user=user)


def entry_copy(*, entry: Entry, user, day: date | None = None) -> Entry:
    """A new draft with the same type, description and lines, dated today (for recurring comprobantes)."""
    return entry_save_draft(
        voucher_type=entry.voucher_type,
        day=day or timezone.localdate(),
        description=entry.description,
        lines=_lines_of(entry),
        user=user,
    )


def entry_delete_draft(*, entry: Entry) -> None:
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_draft:
            raise BooksError(_("A posted comprobante is never deleted: annul it or reverse it."))
        entry.delete()
