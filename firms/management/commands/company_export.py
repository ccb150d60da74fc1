from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from firms.selectors import company_by_reference
from firms.services.transfer import CompanyTransferError, company_export


class Command(BaseCommand):
    help = (
        "Write one company (its schema and its public rows: the company, its members, its workspaces' "
        "accesses) to FILE, for company_import on another database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="The company's slug or Colombian NIT.")
        parser.add_argument("file", help="The file to write (a tar archive).")

    def handle(self, *args, company, file, **options):
        found = company_by_reference(company)
        if found is None:
            raise CommandError(f"No company has the slug or NIT “{company}”.")
        try:
            company_export(company=found, path=Path(file))
        except CompanyTransferError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Exported {found.name} ({found.schema_name}) to {file}.")
