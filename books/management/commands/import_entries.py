import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from books.models import JournalImportEntry
from books.services.journal import journal_preview, journal_process, journal_summary
from core.tables import FileProblem
from firms.selectors import company_by_reference
from firms.services.provisioning import CompanyProvisioningError, company_provision


class Command(BaseCommand):
    help = (
        "Import comprobantes from a CSV or XLSX file into a company's books (the same checks as the page). "
        "Prints each refused comprobante and a last line entries=N lines=N skipped=N errors=N. "
        "Exit status 0 when the file could be read, 2 for a problem with the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="The company's slug or Colombian NIT.")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; post nothing.")

    def handle(self, *args, company, file, dry_run, **options):
        found = company_by_reference(company)
        if found is None:
            self._fail(_("No company has the slug or NIT “%(value)s”.") % {"value": company})
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            self._fail(_("The file cannot be read: %(error)s") % {"error": error.strerror or error})
        try:
            found = company_provision(company_id=found.pk)  # books prepared first when they were not
        except CompanyProvisioningError as error:
            self._fail(str(error))
        with schema_context(found.schema_name):
            try:
                job = journal_preview(file_name=Path(file).name, data=data, user=None)
            except FileProblem as problem:
                self._fail(str(problem))
            if not dry_run:
                job = journal_process(job_id=job.pk)
            refused = (
                job.entries.filter(plan=JournalImportEntry.Plan.ERROR)
                if dry_run
                else job.entries.filter(outcome=JournalImportEntry.Outcome.FAILED)
            )
            for entry in refused.order_by("position"):
                self.stdout.write(f"{entry.voucher_code}-{entry.number or '?'}: {' '.join(entry.messages)}")
            self.stdout.write(journal_summary(job).line())

    def _fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)
