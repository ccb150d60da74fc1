import json
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.l10n import format_amount, format_date
from firms.services.common import DomainError

from ..models import FIRST_DAY, LAST_DAY, MAX_AMOUNT, MAX_NUMBER


class BooksError(DomainError):
    """A rule of the books refused the change; the message is for the accountant."""


class DatabaseRefusal(BooksError):
    """PostgreSQL refused the change (a trigger or a constraint of the books): the message says which rule."""


def actor(user) -> dict:
    """Who did it, as the company's schema keeps it: the public user's id and name at that moment."""
    if user is None:
        return {"id": None, "name": ""}
    return {"id": user.pk, "name": user.get_full_name()[:150]}


def day_text(value: date | str) -> str:
    """A date as the books' messages write it, in the reader's language (the database gives ISO text)."""
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value)


def _amount(value) -> str:
    return format_amount(Decimal(str(value)))


# The window of comprobante dates ------------------------------------------------------------------------


def entry_dates() -> tuple[date, date]:
    """The first and last day a comprobante may be dated: ENTRY_DATES_FROM (never before the database's own
    floor, 1990-01-01) to ENTRY_DATES_YEARS_AHEAD years after today (never after 2100-12-31)."""
    today = timezone.localdate()
    year = today.year + settings.ENTRY_DATES_YEARS_AHEAD
    last = (
        today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)
    )
    return max(settings.ENTRY_DATES_FROM, FIRST_DAY), min(last, LAST_DAY)


def date_problem(day: date) -> str | None:
    """Why a comprobante cannot be dated `day`, or None."""
    first, last = entry_dates()
    if first <= day <= last:
        return None
    return _("The date %(date)s is outside the books' dates: from %(first)s to %(last)s.") % {
        "date": day_text(day),
        "first": day_text(first),
        "last": day_text(last),
    }


def amount_problem(amount: Decimal) -> str | None:
    """Why an amount cannot be a line's, by its size (the other rules are the line's), or None."""
    if abs(amount) <= MAX_AMOUNT:
        return None
    return _("amounts are at most %(max)s") % {"max": _amount(MAX_AMOUNT)}


def closed_year_message(year: int, label: str) -> str:
    return _(
        "%(year)s is closed by %(label)s: nothing is posted or annulled in it unless the closing is annulled."
    ) % {"year": year, "label": label}


def amount_message() -> str:
    return _("Amounts are at most %(max)s.") % {"max": _amount(MAX_AMOUNT)}


def number_message() -> str:
    return _("A comprobante number is from 1 to %(max)s.") % {
        "max": number_format(MAX_NUMBER, force_grouping=True)
    }


# PostgreSQL's refusals, as the accountant reads them ------------------------------------------------------

# The books' triggers (books/sql/ledger.sql) put {"code": ..., values} in their DETAIL; each code has its
# message here, with the values the trigger gave.
TRIGGER_REFUSALS: dict[str, Callable[[dict], str]] = {
    "created_as_draft": lambda d: _("A comprobante is created as a draft and posted afterwards."),
    "never_deleted": lambda d: _("A posted comprobante is never deleted: annul it or reverse it."),
    "never_changes": lambda d: _("A posted comprobante never changes: annul it or reverse it."),
    "draft_only_posted": lambda d: _("A draft can only be posted."),
    "lines_of_a_draft": lambda d: _("The lines of a posted or annulled comprobante never change."),
    "never_emptied": lambda d: _("The books cannot be emptied once comprobantes are posted."),
    "lock_date": lambda d: (
        _("The books are locked up to %(lock)s: %(date)s is in a closed period.")
        % {"lock": day_text(d["lock"]), "date": day_text(d["date"])}
    ),
    "closed_year": lambda d: closed_year_message(d["year"], d["closing"]),
    "closing_date": lambda d: _("A year-end closing is dated 31 December, once the year has ended."),
    "unbalanced": lambda d: (
        _("Debits (%(debits)s) and credits (%(credits)s) differ by %(difference)s.")
        % {
            "debits": _amount(d["debit"]),
            "credits": _amount(d["credit"]),
            "difference": _amount(abs(Decimal(str(d["debit"])) - Decimal(str(d["credit"])))),
        }
        if d["lines"] >= 2
        else _("A comprobante has at least two lines.")
    ),
    "line_dates": lambda d: _("The lines of a comprobante have its date."),
    "sub_accounts": lambda d: (
        _("account %(code)s has sub-accounts; use one of them (only movement accounts take postings)")
        % {"code": d["account"]}
    ),
    "reversal_not_posted": lambda d: _("Only a posted comprobante can be reversed."),
    "reversal_of_reversal": lambda d: (
        _("%(label)s is a reversal: to undo it, annul it; a reversal is not reversed.")
        % {"label": d["entry"]}
    ),
    "reversed": lambda d: (
        _("This comprobante is reversed by %(label)s: to undo the reversal, annul %(label)s.")
        % {"label": d["reversal"]}
    ),
}

CONSTRAINT_REFUSALS: dict[str, Callable[[], str]] = {
    "entry_line_amount_bound": amount_message,
    "entry_line_one_positive_side": lambda: _("Write each amount either as a debit or as a credit."),
    "entry_date_window": lambda: (
        _("The books take dates from %(first)s to %(last)s.")
        % {"first": day_text(FIRST_DAY), "last": day_text(LAST_DAY)}
    ),
    "entry_number_range": number_message,
    "voucher_type_next_number_range": number_message,
    "entry_type_number_unique": lambda: _("That number is already taken by a comprobante of the same type."),
    "entry_one_closing_a_year": lambda: _(
        "That year is already closed: annul its closing to close it again."
    ),
    "entry_one_posted_reversal": lambda: _("This comprobante was already reversed."),
}
CONSTRAINT_REFUSALS["entry_line_date_window"] = CONSTRAINT_REFUSALS["entry_date_window"]

STATE_REFUSALS: dict[str, Callable[[], str]] = {
    # Two changes to the same books met (a deadlock or a serialization failure): nothing was written.
    "40P01": lambda: _(
        "Another change to the books happened at the same moment: nothing was saved. Try again."
    ),
    "40001": lambda: _(
        "Another change to the books happened at the same moment: nothing was saved. Try again."
    ),
    "22003": lambda: _("An amount or a number is larger than the books take."),
}


def refusal_message(error: BaseException) -> str | None:
    """The accountant's message for PostgreSQL's refusal of a rule of the books; None for any other error."""
    cause = error.__cause__ if isinstance(error, DatabaseError) and error.__cause__ else error
    diag = getattr(cause, "diag", None)
    detail = getattr(diag, "message_detail", None) or ""
    if detail.startswith("{"):
        try:
            data = json.loads(detail, parse_float=Decimal)
        except ValueError:
            data = {}
        refusal = TRIGGER_REFUSALS.get(data.get("code")) if isinstance(data, dict) else None
        if refusal is not None:
            return refusal(data)
    constraint = getattr(diag, "constraint_name", None)
    if constraint in CONSTRAINT_REFUSALS:
        return CONSTRAINT_REFUSALS[constraint]()
    state = STATE_REFUSALS.get(getattr(cause, "sqlstate", None) or "")
    return state() if state is not None else None


@contextmanager
def database_refusals():
    """Around a service's transaction (outside its atomic block): a refusal of PostgreSQL's rules becomes
    DatabaseRefusal with its message; any other database error goes on."""
    try:
        yield
    except DatabaseError as error:
        message = refusal_message(error)
        if message is None:
            raise
        raise DatabaseRefusal(message) from error
