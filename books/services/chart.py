"""The chart of accounts: the PUC seed and the company's own accounts."""

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from core.text import search_normalize
from firms.services.audit import audit_record, changes

from ..models import Account, EntryLine
from ..puc import code_level, parent_code, puc_natures, puc_rows
from .common import BooksError

# Accounts under these levels are added by the company; classes and groups are the PUC's own.
OPEN_LEVELS = (Account.Level.ACCOUNT, Account.Level.SUBACCOUNT, Account.Level.AUXILIARY)


class AccountError(BooksError):
    pass


def chart_seed(*, country: str) -> int:
    """Seed the chart of accounts of the current company schema. Colombia gets the PUC; others start empty."""
    if country != "CO" or Account.objects.exists():
        return 0
    natures = puc_natures()
    accounts = [
        Account(
            code=code,
            level=level,
            parent_id=parent or None,
            name=name,
            nature=natures[code],
            search_text=search_normalize(f"{code} {name}"),
        )
        for code, level, parent, name in puc_rows()
    ]
    Account.objects.bulk_create(accounts, batch_size=2000)
    return len(accounts)


def chart_seed_template() -> int:
    """The template schema keeps the PUC, which new Colombian companies copy (chart_copy)."""
    return chart_seed(country="CO")


def chart_copy(*, country: str, template_schema: str) -> int:
    """Fast path of chart_seed: copy the seeded chart of a template schema into the current schema."""
    if country != "CO":
        return 0
    with connection.cursor() as cursor:
        source = connection.ops.quote_name(template_schema)
        cursor.execute(f"INSERT INTO books_account SELECT * FROM {source}.books_account")  # noqa: S608
        return cursor.rowcount


def account_is_movement(account: Account) -> bool:
    """Only accounts without sub-accounts take postings."""
    return not Account.objects.filter(parent=account).exists()


def account_create(
    *,
    parent: Account,
    code: str,
    name: str,
    nature: str = "",
    requires_third_party: bool = False,
    requires_cost_center: bool = False,
) -> Account:
    """Add a sub-account or auxiliary under an account of the chart: the parent's code plus two digits."""
    code = code.strip()
    if parent.level not in OPEN_LEVELS:
        raise AccountError(
            _("New accounts go under an account or a sub-account, not under a class or group.")
        )
    if not code.startswith(parent.code) or len(code) <= len(parent.code):
        raise AccountError(
            _("The code must start with %(parent)s and be longer than it.") % {"parent": parent.code}
        )
    if code_level(code) is None or parent_code(code) != parent.code:
        raise AccountError(
            _("The code must be %(parent)s followed by two digits, for example %(example)s.")
            % {"parent": parent.code, "example": f"{parent.code}05"}
        )
    if not parent.is_active:
        raise AccountError(_("Account %(code)s is inactive: activate it first.") % {"code": parent.code})
    if EntryLine.objects.filter(account=parent).exists():
        raise AccountError(
            _(
                "Account %(code)s already has movements, so it cannot get sub-accounts: the movements "
                "would be left on an account that no longer takes postings."
            )
            % {"code": parent.code}
        )
    try:
        with transaction.atomic():
            account = Account.objects.create(
                code=code,
                name=name.strip(),
                level=code_level(code),
                parent=parent,
                nature=nature or parent.nature,
                requires_third_party=requires_third_party,
                requires_cost_center=requires_cost_center,
                is_custom=True,
                search_text=search_normalize(f"{code} {name}"),
            )
            audit_record(action="account.created", target=account)
            return account
    except IntegrityError:
        raise AccountError(_("An account with code %(code)s already exists.") % {"code": code}) from None


def account_update(
    *,
    account: Account,
    name: str,
    nature: str,
    is_active: bool,
    requires_third_party: bool,
    requires_cost_center: bool,
) -> Account:
    """Change an account's settings; only the accounts the company added can be renamed."""
    name = name.strip()
    if name != account.name and not account.is_custom:
        raise AccountError(_("The PUC's own accounts keep their name; add a sub-account with yours."))
    fields = ["name", "nature", "is_active", "requires_third_party", "requires_cost_center"]
    before = {field: getattr(account, field) for field in fields}
    account.name = name
    account.nature = nature
    account.is_active = is_active
    account.requires_third_party = requires_third_party
    account.requires_cost_center = requires_cost_center
    account.search_text = search_normalize(f"{account.code} {name}")
    with transaction.atomic():
        account.save(update_fields=[*fields, "search_text"])
        was, now = changes(before, {field: getattr(account, field) for field in fields})
        audit_record(action="account.updated", target=account, before=was, after=now)
    return account
