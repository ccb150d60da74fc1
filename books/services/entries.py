"""Comprobantes: drafts, posting, annulment, reversal and copies.

The checks here give the accountant a clear message per line; PostgreSQL enforces the same rules again
(the triggers of books/sql/ledger.sql, and constraints), so no other path can break them; its refusals
reach the accountant as messages too (books.services.common.database_refusals).

A posting or annulment reads the lock date FOR SHARE before anything else it locks (the comprobante, the
board's snapshot row, the voucher type's consecutive), as a lock or closing takes the same row FOR UPDATE
first: a lock date or closing being set waits for the postings under way, the postings that come after it
see its new date, and the two never wait for each other in a circle.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.l10n import format_amount, format_date
from firms.services.audit import AuditText, audit_record
from firms.services.snapshots import snapshot_refresh_queue_current

from ..models import (
    MAX_NUMBER,
    ZERO,
    Account,
    BooksSettings,
    CostCenter,
    Entry,
    EntryLine,
    ThirdParty,
    VoucherType,
)
from .common import (
    BooksError,
    actor,
    amount_problem,
    closed_year_message,
    database_refusals,
    date_problem,
    number_message,
)

CENT = Decimal("0.01")


def money(amount: Decimal) -> str:
    """An amount as the accountant reads it: 1.234.567,89 in Spanish, 1,234,567.89 in English."""
    return format_amount(amount)


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


def _lock_date_held() -> date | None:
    """The lock date, its row held FOR SHARE until the transaction ends (see the module's docstring)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lock_date FROM books_bookssettings LIMIT 1 FOR SHARE")
        row = cursor.fetchone()
    return row[0] if row else None


def _closed_message(day: date, locked: date) -> str:
    return _("The books are locked up to %(lock)s: %(date)s is in a closed period.") % {
        "lock": format_date(locked),
        "date": format_date(day),
    }


def _closings(years=None) -> dict[int, str]:
    """The posted year-end closings, {year: label} (of `years` only, when given)."""
    closings = Entry.objects.filter(source=Entry.Source.CLOSING, status=Entry.Status.POSTED)
    if years is not None:
        closings = closings.filter(date__year__in=list(years))
    return {entry.date.year: entry.label for entry in closings.select_related("voucher_type")}


def _period_problem(day: date, *, locked: date | None, closings: dict[int, str], closing: bool) -> str | None:
    """Why nothing can be posted or annulled on `day`: a closed year, or the lock date; None, or always for
    the year-end closing itself, the year's last act, made or annulled whatever the lock date."""
    if closing:
        return None
    if day.year in closings:
        return closed_year_message(day.year, closings[day.year])
    if locked and day <= locked:
        return _closed_message(day, locked)
    return None


def _period_held(days, *, closing: bool = False) -> None:
    """Inside a posting's or annulment's transaction, first: the lock date held and the closed years read
    again (they may have changed since the lines were checked); EntryProblem if a day is closed."""
    locked = _lock_date_held()
    closings = _closings({day.year for day in days})
    for day in sorted(set(days)):
        problem = _period_problem(day, locked=locked, closings=closings, closing=closing)
        if problem:
            raise EntryProblem([(None, problem)])


class Ledger:
    """What the checks of many lines need, read once: their accounts (and which have sub-accounts), terceros,
    cost centers, the lock date and the closed years."""

    def __init__(self, lines: list[LineInput]):
        self.accounts = Account.objects.in_bulk({line.account for line in lines})
        self.with_children = set(
            Account.objects.filter(parent_id__in=self.accounts.keys()).values_list("parent_id", flat=True)
        )
        self.third_parties = ThirdParty.objects.in_bulk(
            {line.third_party for line in lines if line.third_party}
        )
        self.cost_centers = CostCenter.objects.in_bulk(
            {line.cost_center for line in lines if line.cost_center}
        )
        self.lock_date = lock_date()
        self.closings = _closings()

    def check(
        self, lines: list[LineInput], *, day: date, for_posting: bool, closing: bool = False
    ) -> list[tuple[int | None, str]]:
        """Every problem of a comprobante's lines and date; a draft may be unbalanced or incomplete, not a
        posting. `closing`: the year-end closing, made whatever the lock date (see _period_problem)."""
        problems: list[tuple[int | None, str]] = []
        outside = date_problem(day)
        if outside:
            problems.append((None, outside))
        for number, line in enumerate(lines, start=1):
            problems += [(number, problem) for problem in self._line_problems(line, for_posting)]
        if for_posting:
            debits = sum((line.debit for line in lines), ZERO)
            credits = sum((line.credit for line in lines), ZERO)
            if len(lines) < 2:
                problems.append((None, _("A comprobante has at least two lines.")))
            elif debits != credits:
                problems.append(
                    (
                        None,
                        _("Debits (%(debits)s) and credits (%(credits)s) differ by %(difference)s.")
                        % {
                            "debits": money(debits),
                            "credits": money(credits),
                            "difference": money(abs(debits - credits)),
                        },
                    )
                )
            closed = (
                None
                if outside
                else _period_problem(day, locked=self.lock_date, closings=self.closings, closing=closing)
            )
            if closed:
                problems.append((None, closed))
        return problems

    def _line_problems(self, line: LineInput, for_posting: bool) -> list[str]:
        account = self.accounts.get(line.account)
        if account is None:
            return [_("account %(code)s does not exist") % {"code": line.account}]
        problems = []
        if account.code in self.with_children:
            problems.append(
                _("account %(code)s has sub-accounts; use one of them (only movement accounts take postings)")
                % {"code": account.code}
            )
        if not account.is_active:
            problems.append(_("account %(code)s is inactive") % {"code": account.code})
        too_large = amount_problem(line.debit) or amount_problem(line.credit)
        if too_large:
            problems.append(too_large)
        if line.debit < 0 or line.credit < 0:
            problems.append(_("amounts cannot be negative"))
        elif line.debit == 0 and line.credit == 0:
            problems.append(_("the line has no amount: write its debit or its credit"))
        elif line.debit > 0 and line.credit > 0:
            problems.append(_("write the amount either as a debit or as a credit"))
        if not too_large and (
            line.debit != line.debit.quantize(CENT) or line.credit != line.credit.quantize(CENT)
        ):
            problems.append(_("amounts have at most 2 decimals"))
        third_party = self.third_parties.get(line.third_party) if line.third_party else None
        if line.third_party and third_party is None:
            problems.append(_("the tercero does not exist"))
        elif third_party is not None and not third_party.is_active:
            problems.append(_("tercero %(name)s is inactive") % {"name": third_party.display_name})
        elif for_posting and account.requires_third_party and third_party is None:
            problems.append(_("account %(code)s requires a tercero") % {"code": account.code})
        cost_center = self.cost_centers.get(line.cost_center) if line.cost_center else None
        if line.cost_center and cost_center is None:
            problems.append(_("the cost center does not exist"))
        elif cost_center is not None and not cost_center.is_active:
            problems.append(_("cost center %(code)s is inactive") % {"code": cost_center.code})
        elif for_posting and account.requires_cost_center and cost_center is None:
            problems.append(_("account %(code)s requires a cost center") % {"code": account.code})
        return problems


def lines_check(
    lines: list[LineInput], *, day: date, for_posting: bool, closing: bool = False
) -> list[tuple[int | None, str]]:
    """Every problem of one comprobante's lines (see Ledger.check)."""
    return Ledger(lines).check(lines, day=day, for_posting=for_posting, closing=closing)


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
    snapshot_refresh_queue_current()  # drafts count on the board
    return entry


def _audit(action: str, entry: Entry, user, summary: "str | AuditText" = "", **fields) -> None:
    """One event of the company's log (the company and the workspace come from the request or tenant)."""
    if entry.number is None:  # "CC-draft", in the reader's language
        fields.setdefault(
            "object_label",
            AuditText("%(code)s-%(draft)s", code=entry.voucher_type.code, draft=gettext_lazy("draft")),
        )
    audit_record(
        action=action,
        actor=user,
        target=entry,
        summary=summary
        or AuditText(
            "%(date)s · %(amount)s · %(description)s",
            date=entry.date,
            amount=entry.total,
            description=entry.description[:120],
        ),
        **fields,
    )


def _post(entry: Entry, *, user, number: int | None = None) -> Entry:
    """Number and post a checked draft (the database checks it again and counts it in the balances)."""
    _period_held([entry.date], closing=entry.source == Entry.Source.CLOSING)
    who = actor(user)
    entry.number = _next_number(entry.voucher_type_id, number)
    entry.status = Entry.Status.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by_id, entry.posted_by_name = who["id"], who["name"]
    entry.save(update_fields=["number", "status", "posted_at", "posted_by_id", "posted_by_name"])
    snapshot_refresh_queue_current()
    return entry


class EntryFields(TypedDict):
    """What a comprobante is saved with: its header and lines, who saves it, and its source (manual unless
    said otherwise)."""

    voucher_type: VoucherType
    day: date
    description: str
    lines: list[LineInput]
    user: Any
    source: NotRequired[str]


@database_refusals()
def entry_save_draft(*, entry: Entry | None = None, **fields: Unpack[EntryFields]) -> Entry:
    """Create or replace a draft: it may be unbalanced or incomplete, but each line must make sense."""
    return _entry_save(entry, posting=False, **fields)


@database_refusals()
def entry_save_and_post(*, entry: Entry | None = None, **fields: Unpack[EntryFields]) -> Entry:
    """The form's "Contabilizar": the draft and its posting together, or nothing."""
    return _entry_save(entry, posting=True, **fields)


def _entry_save(
    entry: Entry | None, *, posting: bool, lines: list[LineInput], day: date, user, **fields
) -> Entry:
    """The form's two buttons: lines checked for a draft or for posting, then saved (and posted) at once."""
    problems = lines_check(lines, day=day, for_posting=posting)
    if problems:
        raise EntryProblem(problems)
    fields.setdefault("source", Entry.Source.MANUAL)
    with transaction.atomic():
        if posting:
            _lock_date_held()  # first: see the module's docstring
            entry = _save_and_post(entry, lines=lines, day=day, user=user, **fields)
        else:
            entry = _save(entry, lines=lines, day=day, user=user, **fields)
        _audit("entry.posted" if posting else "entry.draft_saved", entry, user)
        return entry


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


def _consecutive_spent(voucher_type: VoucherType) -> BooksError:
    return BooksError(
        _("The consecutive of %(code)s reached %(max)s: use another voucher type.")
        % {"code": voucher_type.code, "max": number_format(MAX_NUMBER, force_grouping=True)}
    )


def _next_number(voucher_type_id: int, wanted: int | None = None) -> int:
    """The type's next free number (or `wanted`, for imported comprobantes that keep theirs)."""
    voucher_type = VoucherType.objects.select_for_update().get(pk=voucher_type_id)
    if wanted is not None and not 1 <= wanted <= MAX_NUMBER:
        raise BooksError(number_message())
    number = wanted or voucher_type.next_number
    if wanted is None:
        taken = set(
            Entry.objects.filter(voucher_type_id=voucher_type_id, number__gte=number).values_list(
                "number", flat=True
            )
        )
        while number in taken:
            number += 1
        if number > MAX_NUMBER:
            raise _consecutive_spent(voucher_type)
    if number >= voucher_type.next_number:
        voucher_type.next_number = number + 1
        voucher_type.save(update_fields=["next_number"])
    return number


@database_refusals()
def entry_post(*, entry: Entry, user, number: int | None = None) -> Entry:
    """Post a draft: checked, numbered with its type's consecutive, and counted in the balances."""
    with transaction.atomic():
        _lock_date_held()  # first: see the module's docstring
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_draft:
            raise BooksError(_("This comprobante is already posted."))
        problems = lines_check(_lines_of(entry), day=entry.date, for_posting=True)
        if problems:
            raise EntryProblem(problems)
        entry = _post(entry, user=user, number=number)
        _audit("entry.posted", entry, user)
        return entry


def _save_and_post(entry: Entry | None, *, user, **fields) -> Entry:
    """Save and post lines already checked for posting (the caller records the event)."""
    return _post(_save(entry, user=user, **fields), user=user)


def _reversal_label(entry: Entry) -> str | None:
    """The label of the reversal in effect of `entry` (a posted one), or None."""
    reversal = entry.reversals.filter(status=Entry.Status.POSTED).select_related("voucher_type").first()
    return reversal.label if reversal else None


def _reversed_message(label: str) -> str:
    return _("This comprobante is reversed by %(label)s: to undo the reversal, annul %(label)s.") % {
        "label": label
    }


def _is_a_reversal_message(label: str) -> str:
    return _("%(label)s is a reversal: to undo it, annul it; a reversal is not reversed.") % {"label": label}


def _annul_refusal(entry: Entry, *, locked: date | None, closings: dict[int, str], reversal: str | None):
    """Why `entry` cannot be annulled, or None."""
    if entry.status != Entry.Status.POSTED:
        return _("Only a posted comprobante can be annulled.")
    if reversal:
        return _reversed_message(reversal)
    closing = entry.source == Entry.Source.CLOSING
    return _period_problem(entry.date, locked=locked, closings=closings, closing=closing)


def _reverse_refusal(entry: Entry, *, reversal: str | None) -> str | None:
    """Why `entry` cannot be reversed (the reversal's own date is checked as any posting's), or None."""
    if entry.status != Entry.Status.POSTED:
        return _("Only a posted comprobante can be reversed.")
    if entry.reversal_of_id:
        return _is_a_reversal_message(entry.label)
    if reversal:
        return _("This comprobante was already reversed.")
    return None


def entry_refusals(entry: Entry) -> tuple[str | None, str | None]:
    """Why `entry` cannot be annulled, and why it cannot be reversed (None when it can): the comprobante's
    page offers only what can be done."""
    reversal = _reversal_label(entry)
    closings = _closings([entry.date.year])
    return (
        _annul_refusal(entry, locked=lock_date(), closings=closings, reversal=reversal),
        _reverse_refusal(entry, reversal=reversal),
    )


@database_refusals()
def entry_annul(*, entry: Entry, user, reason: str) -> Entry:
    """The number stays and the effect goes: the comprobante keeps its lines and leaves the balances.

    A comprobante reversed by another is not annulled (annulling the reversal undoes it). Annulling the
    year-end closing reopens the year and gives back the lock date the closing found."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise BooksError(_("Write why the comprobante is annulled."))
    closing = entry.source == Entry.Source.CLOSING
    with transaction.atomic():
        if closing:  # the lock date moves back: held FOR UPDATE, before the comprobante (the usual order)
            from .periods import _settings_locked  # here: periods imports this module

            locked = _settings_locked().lock_date
        else:
            locked = _lock_date_held()
        entry = Entry.objects.select_for_update().select_related("voucher_type").get(pk=entry.pk)
        refusal = _annul_refusal(
            entry, locked=locked, closings=_closings([entry.date.year]), reversal=_reversal_label(entry)
        )
        if refusal:
            raise BooksError(refusal)
        who = actor(user)
        entry.status = Entry.Status.ANNULLED
        entry.annulled_at = timezone.now()
        entry.annulled_by_id, entry.annulled_by_name = who["id"], who["name"]
        entry.annul_reason = reason
        entry.save(
            update_fields=["status", "annulled_at", "annulled_by_id", "annulled_by_name", "annul_reason"]
        )
        _audit(
            "entry.annulled",
            entry,
            user,
            summary=reason,
            before={"status": Entry.Status.POSTED},
            after={"status": Entry.Status.ANNULLED},
        )
        if closing:
            from .periods import _year_reopened

            _year_reopened(entry, user=user, reason=reason)
        snapshot_refresh_queue_current()
    return entry


@database_refusals()
def entry_reverse(
    *, entry: Entry, day: date, user, voucher_type: VoucherType | None = None, description: str = ""
) -> Entry:
    """A contra-asiento: a new posted comprobante with every line's sides swapped, of the original's type or
    of `voucher_type` (its consecutive gives the number), dated by the accountant in an open period; its
    description says "Reversal of FV-90" (and the accountant's words after it). The original stays as it is;
    annulling the reversal undoes it."""
    with transaction.atomic():
        _lock_date_held()  # first: see the module's docstring
        entry = Entry.objects.select_for_update().select_related("voucher_type").get(pk=entry.pk)
        refusal = _reverse_refusal(entry, reversal=_reversal_label(entry))
        if refusal:
            raise BooksError(refusal)
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
        title = _("Reversal of %(label)s") % {"label": entry.label}
        words = " ".join(description.split())
        reversal = _save(
            None,
            voucher_type=voucher_type or entry.voucher_type,
            day=day,
            description=f"{title}: {words}" if words else title,
            lines=lines,
            user=user,
            source=Entry.Source.REVERSAL,
        )
        reversal.reversal_of = entry
        reversal.save(update_fields=["reversal_of"])
        reversal = _post(reversal, user=user)
        _audit(
            "entry.reversed",
            entry,
            user,
            summary=AuditText(
                gettext_noop("Reversed by %(label)s on %(date)s"), label=reversal.label, date=day
            ),
            after={"reversal": reversal.label},
        )
        return reversal


def entry_copy(*, entry: Entry, user, day: date | None = None) -> Entry:
    """A new draft with the same type, description and lines, dated today (for recurring comprobantes)."""
    return entry_save_draft(
        voucher_type=entry.voucher_type,
        day=day or timezone.localdate(),
        description=entry.description,
        lines=_lines_of(entry),
        user=user,
    )


@database_refusals()
def entry_delete_draft(*, entry: Entry, user=None) -> None:
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_draft:
            raise BooksError(_("A posted comprobante is never deleted: annul it or reverse it."))
        _audit("entry.draft_deleted", entry, user)
        entry.delete()
        snapshot_refresh_queue_current()


@dataclass
class NewEntry:
    """A comprobante to post in bulk (imports, the demo): its number is kept when given, else the next one."""

    voucher_type_id: int
    day: date
    description: str
    lines: list[LineInput]
    number: int | None = None


def _numbers_for(entries: list[NewEntry]) -> list[int]:
    """Each entry's number: its own, or its type's next free one; every type's consecutive moves past them."""
    type_ids = sorted({entry.voucher_type_id for entry in entries})
    types = {t.pk: t for t in VoucherType.objects.select_for_update().filter(pk__in=type_ids).order_by("pk")}
    taken = {type_id: set() for type_id in type_ids}
    for type_id, number in Entry.objects.filter(
        voucher_type_id__in=type_ids, number__isnull=False
    ).values_list("voucher_type_id", "number"):
        taken[type_id].add(number)
    taken_by_batch = {
        type_id: {e.number for e in entries if e.voucher_type_id == type_id and e.number}
        for type_id in type_ids
    }
    next_free = {type_id: types[type_id].next_number for type_id in type_ids}
    numbers = []
    for entry in entries:
        if entry.number:
            if not 1 <= entry.number <= MAX_NUMBER:
                raise BooksError(number_message())
            numbers.append(entry.number)
            continue
        number = next_free[entry.voucher_type_id]
        while number in taken[entry.voucher_type_id] or number in taken_by_batch[entry.voucher_type_id]:
            number += 1
        if number > MAX_NUMBER:
            raise _consecutive_spent(types[entry.voucher_type_id])
        next_free[entry.voucher_type_id] = number + 1
        numbers.append(number)
    for type_id, voucher_type in types.items():
        used = [n for e, n in zip(entries, numbers, strict=True) if e.voucher_type_id == type_id]
        if used and max(used) >= voucher_type.next_number:
            voucher_type.next_number = max(used) + 1
            voucher_type.save(update_fields=["next_number"])
    return numbers


LINE_COLUMNS = (
    "entry_id, line_no, date, account_id, third_party_id, cost_center_id, description, debit, credit"
)


def _copy_lines(lines) -> None:
    """The lines of many drafts through COPY: the insert trigger checks them as for any insert."""
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY books_entryline ({LINE_COLUMNS}) FROM STDIN") as copy:
            for entry_id, number, day, line in lines:
                copy.write_row(
                    (
                        entry_id,
                        number,
                        day,
                        line.account,
                        line.third_party,
                        line.cost_center,
                        line.description.strip()[:300],
                        line.debit,
                        line.credit,
                    )
                )


@database_refusals()
def entries_post_many(*, entries: list[NewEntry], user, source: str) -> list[int]:
    """Post many comprobantes, already checked by the caller (Ledger.check), in three statements: the headers,
    the lines and one UPDATE that posts them all (PostgreSQL checks each again and updates the balances once).
    All or nothing. Returns the new comprobantes' ids."""
    if not entries:
        return []
    who, now = actor(user), timezone.now()
    with transaction.atomic():
        _period_held([entry.day for entry in entries], closing=source == Entry.Source.CLOSING)
        numbers = _numbers_for(entries)
        headers = Entry.objects.bulk_create(
            Entry(
                voucher_type_id=entry.voucher_type_id,
                date=entry.day,
                description=entry.description.strip()[:300],
                total=sum((line.debit for line in entry.lines), ZERO),
                source=source,
                prepared_by_id=who["id"],
                prepared_by_name=who["name"],
                created_at=now,
            )
            for entry in entries
        )
        _copy_lines(
            (header.pk, number, header.date, line)
            for header, entry in zip(headers, entries, strict=True)
            for number, line in enumerate(entry.lines, start=1)
        )
        ids = [header.pk for header in headers]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE books_entry AS e SET status = 'posted', number = v.number, posted_at = %s, "
                "posted_by_id = %s, posted_by_name = %s "
                "FROM unnest(%s::bigint[], %s::integer[]) AS v(id, number) WHERE e.id = v.id",
                [now, who["id"], who["name"], ids, numbers],
            )
        # One event per batch (an import posts thousands): how many, of which source, which dates.
        days = [entry.day for entry in entries]
        audit_record(
            action="entries.posted",
            actor=user,
            object_type="entry",
            object_label=Entry.Source(source).label,
            summary=AuditText(
                gettext_noop("%(count)s comprobantes dated %(first)s to %(last)s"),
                count=len(ids),
                first=min(days),
                last=max(days),
            ),
            after={"count": len(ids), "source": source, "first_id": ids[0], "last_id": ids[-1]},
        )
        snapshot_refresh_queue_current()
    return ids
