from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from firms.services.transfer import CompanyTransferError, company_import


class Command(BaseCommand):
    help = (
        "Create here the company of a company_export FILE, with a schema name of this server; refused when "
        "its tax ID exists here. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by company_export.")

    def handle(self, *args, file, **options):
        if not Path(file).is_file():
            raise CommandError(f"No file {file}.")
        try:
            report = company_import(path=Path(file))
        except CompanyTransferError as exc:
            raise CommandError(str(exc)) from exc
        company = report.company
        self.stdout.write(f"Imported {company.name} as {company.schema_name} (/c/{company.slug}/).")
        self.stdout.write(
            f"members={report.members} users_created={len(report.users_created)} accesses={report.accesses}"
        )
        for email in report.users_created:
            self.stdout.write(f"  new user without a password (they use 'forgot password'): {email}")
        for workspace in report.accesses_skipped:
            self.stdout.write(f"  access not restored, no workspace here owned by: {workspace}")
        if report.migrated:
            self.stdout.write("  its schema was brought to this version's migrations.")
