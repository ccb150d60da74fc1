"""Closed periods: the lock date ("bloquear hasta") and the year-end closing.

A closing is made once a year has ended, one a year (PostgreSQL's unique index entry_one_closing_a_year
backs the lock on the settings row), and moves the lock date to at least the year's last day in the same
transaction; nothing is posted or annulled in a closed year. Annulling the closing (books.services.entries.
entry_annul) reopens the year and gives back the lock date the closing found, both recorded.
"""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.l10n import format_date
from firms.services.audit import AuditText, audit_record, changes
from firms.services.snapshots import snapshot_refresh_queue_current

from ..models import ZERO, Account, Balance, BooksSettings, Entry, PeriodEvent, VoucherType
from .common import BooksError, actor, database_refusals, day_text
from .entries import EntryProblem, LineInput, _save_and_post, lines_check

RESULT_CLASSES = ("4", "5", "6", "7")
PROFIT_ACCOUNT, LOSS_ACCOUNT = "3605", "3610"


def _settings_locked() -> BooksSettings:
    settings, _created = BooksSettings.objects.get_or_create(singleton=True)
    return BooksSettings.objects.select_for_update().get(pk=settings.pk)


def _record(
    kind: str, before: date | None, after: date | None, user, reason: str = "", entry: Entry | None = None
) -> PeriodEvent:
    who = actor(user)
    return PeriodEvent.objects.create(
        kind=kind,
        lock_date_before=before,
        lock_date_after=after,
        reason=reason[:300],
        entry=entry,
        by_id=who["id"],
        by_name=who["name"],
    )


@database_refusals()
def period_lock(*, until: date, user) -> BooksSettings:
    """Close the books up to `until` (inclusive): nothing is posted, annulled or reversed on or before it."""
    with transaction.atomic():
        settings = _settings_locked()
        if settings.lock_date and until <= settings.lock_date:
            raise BooksError(
                _("The books are already locked up to %(date)s. To open a period, unlock it.")
                % {"date": format_date(settings.lock_date)}
            )
        drafts = Entry.objects.filter(status=Entry.Status.DRAFT, date__lte=until).count()
        if drafts:
            raise BooksError(
                _("%(count)s draft comprobantes are dated on or before %(date)s: post or delete them first.")
                % {"count": drafts, "date": format_date(until)}
            )
        _record(PeriodEvent.Kind.LOCK, settings.lock_date, until, user)
        _audit_lock("period.locked", settings.lock_date, until, user)
        settings.lock_date = until
        settings.save(update_fields=["lock_date"])
        snapshot_refresh_queue_current()
    return settings


@database_refusals()
def period_unlock(*, until: date | None, reason: str, user) -> BooksSettings:
    """Open a closed period again: an explicit action, with its reason, kept in the record."""
    reason = " ".join(reason.split())
    if not reason:
        raise BooksError(_("Write why the period is opened again."))
    with transaction.atomic():
        settings = _settings_locked()
        if settings.lock_date is None or (until is not None and until >= settings.lock_date):
            raise BooksError(_("Choose a date before the current lock date, or none to open every period."))
        _record(PeriodEvent.Kind.UNLOCK, settings.lock_date, until, user, reason)
        _audit_lock("period.unlocked", settings.lock_date, until, user, reason)
        settings.lock_date = until
        settings.save(update_fields=["lock_date"])
        snapshot_refresh_queue_current()
    return settings


def _audit_lock(action: str, before: date | None, after: date | None, user, reason: str = "") -> None:
    audit_record(
        action=action,
        actor=user,
        object_type="bookssettings",
        object_label=gettext_lazy("Lock date"),
        summary=AuditText(
            "%(before)s → %(after)s · %(reason)s" if reason else "%(before)s → %(after)s",
            before=before or "—",
            after=after or "—",
            reason=reason[:200],
        ),
        before={"lock_date": before.isoformat() if before else None},
        after={"lock_date": after.isoformat() if after else None},
    )


def _result_account(code: str) -> Account:
    """The movement account that takes the year's result: the first one under 3605 or 3610."""
    accounts = Account.objects.filter(code__startswith=code, is_active=True, children__isnull=True)
    account = accounts.order_by("code").first()
    if account is None:
        raise BooksError(
            _("The chart has no active account under %(code)s for the year's result.") % {"code": code}
        )
    return account


@database_refusals()
def year_close(*, year: int, user) -> Entry:
    """Year-end closing, once the year has ended: a CI comprobante dated 31 December that brings every balance
    of classes 4 to 7 to zero, tercero by tercero and cost center by cost center, against 3605 (profit) or
    3610 (loss); the books are locked up to that day at least, in the same transaction."""
    closing_day = date(year, 12, 31)
    if timezone.localdate() <= closing_day:
        raise BooksError(
            _("%(year)s can be closed from %(day)s, once it has ended.")
            % {"year": year, "day": day_text(date(year + 1, 1, 1))}
        )
    with transaction.atomic():
        # One closing at a time: a second "Cerrar año" waits here, then finds the first one's closing.
        settings = _settings_locked()
        _closing_refusal(year)
        before = settings.lock_date
        lines = _closing_lines(year)
        problems = lines_check(lines, day=closing_day, for_posting=True, closing=True)
        if problems:
            raise EntryProblem(problems)
        entry = _save_and_post(
            None,
            voucher_type=VoucherType.objects.get(code="CI"),
            day=closing_day,
            description=_("Year-end closing %(year)s") % {"year": year},
            lines=lines,
            user=user,
            source=Entry.Source.CLOSING,
        )
        after = max(before, closing_day) if before else closing_day
        settings.lock_date = after
        settings.save(update_fields=["lock_date"])
        audit_record(
            action="year.closed",
            actor=user,
            target=entry,
            summary=AuditText(
                gettext_noop("Closing %(year)s: %(label)s · %(before)s → %(after)s"),
                year=year,
                label=entry.label,
                before=before or "—",
                after=after,
            ),
            before={"lock_date": before.isoformat() if before else None},
            after={"year": year, "entry": entry.label, "lock_date": after.isoformat()},
        )
        _record(
            PeriodEvent.Kind.CLOSE,
            before,
            after,
            user,
            _("Closing %(year)s: %(label)s") % {"year": year, "label": entry.label},
            entry=entry,
        )
    return entry


def _closing_refusal(year: int) -> None:
    """A year with drafts, or closed already, is not closed (again)."""
    if Entry.objects.filter(status=Entry.Status.DRAFT, date__year=year).exists():
        raise BooksError(
            _("There are draft comprobantes in %(year)s: post or delete them first.") % {"year": year}
        )
    done = (
        Entry.objects.filter(source=Entry.Source.CLOSING, status=Entry.Status.POSTED, date__year=year)
        .select_related("voucher_type")
        .first()
    )
    if done is not None:
        raise BooksError(
            _("%(year)s is already closed by %(label)s; annul it to close again.")
            % {"year": year, "label": done.label}
        )


def _closing_lines(year: int) -> list[LineInput]:
    """Every balance of classes 4 to 7 of the year to zero, by tercero and cost center, and the result
    against 3605 (profit) or 3610 (loss)."""
    balances = (
        Balance.objects.filter(period__year=year, account__code__regex=r"^[4-7]")
        .values("account_id", "third_party_id", "cost_center_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account_id", "third_party_id", "cost_center_id")
    )
    lines, result = [], ZERO
    for row in balances:
        net = row["debit"] - row["credit"]
        if net == 0:
            continue
        result -= net
        lines.append(
            LineInput(
                account=row["account_id"],
                debit=-net if net < 0 else ZERO,
                credit=net if net > 0 else ZERO,
                third_party=row["third_party_id"],
                cost_center=row["cost_center_id"],
                description=_("Closing %(year)s") % {"year": year},
            )
        )
    if not lines:
        raise BooksError(_("%(year)s has no income, expense or cost balances to close.") % {"year": year})
    if result != 0:
        target = _result_account(PROFIT_ACCOUNT if result > 0 else LOSS_ACCOUNT)
        words = _("Profit of %(year)s") if result > 0 else _("Loss of %(year)s")
        lines.append(
            LineInput(
                account=target.code,
                debit=-result if result < 0 else ZERO,
                credit=result if result > 0 else ZERO,
                description=words % {"year": year},
            )
        )
    return lines


def _year_reopened(closing: Entry, *, user, reason: str) -> None:
    """The closing was just annulled (its caller holds the settings row): the lock date goes back to the one
    the closing found, both recorded. A period unlocked since stays open; a lock date moved past the
    closing's since stays (a decision of its own)."""
    settings = _settings_locked()
    now = settings.lock_date
    event = (
        PeriodEvent.objects.filter(kind=PeriodEvent.Kind.CLOSE, entry=closing).order_by("-at", "-id").first()
    )
    # A closing made before its record kept the lock dates: the lock date stays as it is.
    found, moved_to = (event.lock_date_before, event.lock_date_after) if event is not None else (now, now)
    if now is None or (moved_to is not None and now > moved_to):
        restored = now
    else:
        restored = None if found is None else min(found, now)
    settings.lock_date = restored
    settings.save(update_fields=["lock_date"])
    year = closing.date.year
    label = _("%(label)s annulled: %(year)s reopened") % {"label": closing.label, "year": year}
    _record(PeriodEvent.Kind.REOPEN, now, restored, user, f"{label} · {reason}", entry=closing)
    audit_record(
        action="year.reopened",
        actor=user,
        target=closing,
        summary=AuditText(
            gettext_noop("%(label)s annulled: %(year)s reopened · %(before)s → %(after)s · %(reason)s"),
            label=closing.label,
            year=year,
            before=now or "—",
            after=restored or "—",
            reason=reason[:200],
        ),
        before={"lock_date": now.isoformat() if now else None},
        after={"year": year, "lock_date": restored.isoformat() if restored else None},
    )


SIGNATURE_FIELDS = (
    "legal_representative",
    "accountant_name",
    "accountant_card",
    "auditor_name",
    "auditor_card",
)


def signatures_set(*, user=None, **fields) -> BooksSettings:
    """Who signs the financial statements (kept with the lock date, in the company's book settings)."""
    with transaction.atomic():
        settings = _settings_locked()
        before = {name: getattr(settings, name) for name in SIGNATURE_FIELDS}
        for name in SIGNATURE_FIELDS:
            setattr(settings, name, " ".join(str(fields.get(name, "")).split()))
        settings.save(update_fields=list(SIGNATURE_FIELDS))
        was, now = changes(before, {name: getattr(settings, name) for name in SIGNATURE_FIELDS})
        audit_record(
            action="signatures.updated",
            actor=user,
            object_type="bookssettings",
            object_label=gettext_lazy("Signatures"),
            before=was,
            after=now,
        )
    return settings
