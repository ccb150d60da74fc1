from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from bulk_import.models import ImportRow
from bulk_import.parsing import MAX_BYTES
from bulk_import.services import import_preview, import_run_now, import_summary
from core.tables import FileProblem
from firms.access import workspace_for_user


class Command(BaseCommand):
    help = (
        "Register the companies of a CSV/XLSX file in a workspace, as the web import does. "
        "Exit status 0 when the file could be read (even with row errors), 2 for a problem with the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--workspace", required=True, help="E-mail of the workspace's owner")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; create nothing.")
        parser.add_argument("--sheet", default="", help="Sheet of an .xlsx (the first one by default)")

    def handle(self, *args, file, workspace, dry_run, sheet, **options):
        owner = User.objects.filter(email__iexact=workspace).first()
        space = workspace_for_user(owner) if owner else None
        if space is None:
            raise CommandError(_("No workspace belongs to %(email)s.") % {"email": workspace}, returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file}, returncode=2)
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                _("%(file)s: the file is larger than 5 MB. Split it into smaller files.") % {"file": file},
                returncode=2,
            )
        try:
            job = import_preview(
                workspace=space, user=owner, file_name=path.name, data=path.read_bytes(), sheet_name=sheet
            )
        except FileProblem as problem:
            raise CommandError(f"{file}: {problem}", returncode=2) from None
        if not dry_run:
            job = import_run_now(job=job)
        for row in job.rows.order_by("row_number"):
            outcome = row.outcome or row.plan
            detail = " ".join(row.messages) if row.plan == ImportRow.Plan.ERROR else row.detail
            self.stdout.write(f"row {row.row_number}\t{outcome}\t{row.name}\t{row.tax_id_raw}\t{detail}")
        self.stdout.write(import_summary(job).line())
