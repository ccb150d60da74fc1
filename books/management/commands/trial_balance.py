import csv
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from books.reports.trial_balance import LEVEL_LENGTHS, trial_balance
from core.lists import FILTER_DATE_MAX, FILTER_DATE_MIN
from firms.selectors import company_by_reference


def _date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date as YYYY-MM-DD.") % {"value": value}) from None
    if not FILTER_DATE_MIN <= day <= FILTER_DATE_MAX:  # the reports' window, as on their pages
        raise CommandError(_("Write a date between 1900 and 2100."))
    return day


class Command(BaseCommand):
    help = (
        "The trial balance of a company as CSV on stdout: code,name,opening,debit,credit,closing "
        "(with --by-third-party, a nit column after name). Amounts debit-positive, opening before --from."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="The company's slug or Colombian NIT.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--level", choices=list(LEVEL_LENGTHS))
        parser.add_argument("--by-third-party", action="store_true")

    def handle(self, *args, company, start, end, level, by_third_party, **options):
        found = company_by_reference(company)
        if found is None:
            raise CommandError(_("No company has the slug or NIT “%(value)s”.") % {"value": company})
        start, end = _date(start), _date(end)
        if start > end:
            raise CommandError(_("--from must not be after --to."))
        rows = []
        if found.is_ready:  # a company whose books were never prepared has no movements
            with schema_context(found.schema_name):
                rows = trial_balance(start=start, end=end, level=level, by_third_party=by_third_party)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(
            ["code", "name", *(["nit"] if by_third_party else []), "opening", "debit", "credit", "closing"]
        )
        for row in rows:
            figures = [f"{value:.2f}" for value in (row.opening, row.debit, row.credit, row.closing)]
            writer.writerow([row.code, row.name, *([row.nit] if by_third_party else []), *figures])
