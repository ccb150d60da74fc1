import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.selectors import calendar_for_year
from indicators.taxcalendar import RULES


class Command(BaseCommand):
    help = (
        "Print a year's national tax calendar as CSV: obligation,period,nit_last_digits,due_date "
        "(every obligation of Decreto 2229 de 2023, personas naturales included)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", default="CO")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--nit", default="", help="Only the rows of this NIT (its last digit or digit pair)"
        )

    def handle(self, *args, country, year, nit, **options):
        if country.upper() != "CO":
            raise CommandError(_("Only the Colombian calendar (--country CO) is available."), returncode=2)
        if not 2024 <= year <= 2100:
            raise CommandError(
                _("--year must be between 2024 (Decreto 2229 de 2023) and 2100."), returncode=2
            )
        digits = "".join(ch for ch in nit.split("-")[0] if ch.isdigit())
        if nit and not digits:
            raise CommandError(_("--nit must contain the NIT's digits."), returncode=2)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["obligation", "period", "nit_last_digits", "due_date"])
        for row in calendar_for_year(year):
            if digits and row.nit_last_digits != RULES[row.obligation].digits_of(digits):
                continue
            writer.writerow([row.obligation, row.period, row.nit_last_digits, row.due_date.isoformat()])
