"""Opening balances: one comprobante from a file of balances, posted once."""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.l10n import format_date
from core.tables import TableSpec, read_table

from ..models import CostCenter, Entry, JournalImportEntry, ThirdParty
from .common import BooksError
from .entries import LineInput, NewEntry, entries_post_many
from .journal import _create_catalogs
from .journal_file import JOURNAL, Catalog, FileEntry, _check, _comparable, _read_line, _same

OPENING = TableSpec(
    headers={
        key: JOURNAL.headers[key]
        for key in ("account", "nit", "name", "cost_center", "description", "debit", "credit")
    },
    aliases={
        key: JOURNAL.aliases[key]
        for key in ("account", "nit", "name", "cost_center", "description", "debit", "credit")
    },
    required=("account", "debit", "credit"),
    max_rows=20_000,
    max_bytes=10 * 1024 * 1024,
    typed_cells=True,
)


class OpeningRefused(BooksError):
    """The opening balances cannot be posted; every reason, with its row."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


def opening_balances_post(*, file_name: str, data: bytes, day: date, user, description: str = "") -> Entry:
    """A file of account, tercero, cost center, debit and credit becomes one SI comprobante dated `day`:
    balanced and posted, or refused with every reason (the difference when it does not balance).
    Raises FileProblem or OpeningRefused."""
    table = read_table(spec=OPENING, file_name=file_name, data=data)
    entry = FileEntry(
        voucher_code="SI", number=None, day=day, description=description or _("Opening balances")
    )
    for row in table.rows:
        _read_line(entry, row.number, {**row.values, "date": day})
    catalog = Catalog([entry])
    if _check(entry, catalog, existing={}) != JournalImportEntry.Plan.POST:
        raise OpeningRefused(entry.messages)
    with transaction.atomic():
        # The same file sent twice (a double click, a retry after a lost answer) is posted once.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':opening'))")
        posted = Entry.objects.filter(source=Entry.Source.OPENING, date=day, status=Entry.Status.POSTED)
        for found in posted.select_related("voucher_type").prefetch_related(
            "lines__third_party", "lines__cost_center"
        ):
            if _same(_comparable(found), entry):
                raise OpeningRefused(
                    [
                        _("These opening balances are already in the books as %(label)s of %(date)s.")
                        % {"label": found.label, "date": format_date(day)}
                    ]
                )
        _create_catalogs(
            new_third_parties=list(catalog.new_third_parties.values()),
            new_cost_centers=list(catalog.new_cost_centers),
        )
        third_parties = dict(ThirdParty.objects.values_list("number", "pk"))
        cost_centers = dict(CostCenter.objects.values_list("code", "pk"))
        lines = [
            LineInput(
                line[0],
                Decimal(line[4]),
                Decimal(line[5]),
                third_parties.get(line[1]),
                cost_centers.get(line[2]),
                line[3],
            )
            for line in entry.lines
        ]
        new = NewEntry(
            voucher_type_id=catalog.types["SI"].pk, day=day, description=entry.description, lines=lines
        )
        try:
            (entry_id,) = entries_post_many(entries=[new], user=user, source=Entry.Source.OPENING)
        except BooksError as refused:  # the lock date moved meanwhile, or PostgreSQL refused a rule
            raise OpeningRefused([str(refused)]) from refused
    return Entry.objects.get(pk=entry_id)
