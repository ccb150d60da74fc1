from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from core.text import search_normalize

from .models import Account
from .puc import puc_rows


class AccountError(Exception):
    """A business rule refused the change; the message is for the user."""


def chart_seed_template() -> int:
    """The template schema keeps the PUC, which new Colombian companies copy (chart_copy)."""
    return chart_seed(country="CO")


def chart_seed(*, country: str) -> int:
    """Seed the chart of accounts of the current company schema. Colombia gets the PUC; others start empty."""
    if country != "CO" or Account.objects.exists():
        return 0
    accounts = [
        Account(
            code=code,
            level=level,
            parent_id=parent or None,
            name=name,
            search_text=search_normalize(f"{code} {name}"),
        )
        for code, level, parent, name in puc_rows()
    ]
    Account.objects.bulk_create(accounts, batch_size=2000)
    return len(accounts)


def chart_copy(*, country: str, template_schema: str) -> int:
    """Fast path of chart_seed: copy the seeded chart of a template schema into the current schema."""
    if country != "CO":
        return 0
    with connection.cursor() as cursor:
        source = connection.ops.quote_name(template_schema)
        cursor.execute(f"INSERT INTO books_account SELECT * FROM {source}.books_account")  # noqa: S608
        return cursor.rowcount


def account_create(*, parent: Account, code: str, name: str) -> Account:
    """Add a sub-account or auxiliary account under an account of the chart."""
    if parent.level not in (Account.Level.ACCOUNT, Account.Level.SUBACCOUNT, Account.Level.AUXILIARY):
        raise AccountError(
            _("New accounts go under an account or a sub-account, not under a class or group.")
        )
    if not code.startswith(parent.code) or len(code) <= len(parent.code):
        raise AccountError(
            _("The code must start with %(parent)s and be longer than it.") % {"parent": parent.code}
        )
    level = Account.Level.SUBACCOUNT if parent.level == Account.Level.ACCOUNT else Account.Level.AUXILIARY
    try:
        with transaction.atomic():
            return Account.objects.create(
                code=code,
                name=name.strip(),
                level=level,
                parent=parent,
                is_custom=True,
                search_text=search_normalize(f"{code} {name}"),
            )
    except IntegrityError:
        raise AccountError(_("An account with code %(code)s already exists.") % {"code": code}) from None
