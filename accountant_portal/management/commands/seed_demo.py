from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.demo import seed_admin
from books.demo import seed_books
from firms.demo import demo_active_companies, demo_team_emails, seed_demo
from firms.models import CompanyAccess, WorkspaceMember
from firms.services.snapshots import company_snapshots_refresh
from indicators.demo import seed_resources


class Command(BaseCommand):
    help = (
        "Create demo workspaces (demo1@example.com ...) with Colombian companies and valid NITs, and a year "
        "of books in the first companies of each. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspaces", type=int, default=1)
        parser.add_argument("--companies", type=int, default=25)
        parser.add_argument("--password", default="demo-contador-2026")
        parser.add_argument(
            "--admin", action="store_true", help="Also create the superuser admin@example.com."
        )
        parser.add_argument(
            "--provision",
            action="store_true",
            help="Queue schema provisioning of the active companies (a worker runs it).",
        )
        parser.add_argument(
            "--books",
            type=int,
            default=3,
            help="How many active companies of each workspace get a year of comprobantes (0: none).",
        )

    def handle(self, *args, workspaces, companies, password, provision, admin, books, **options):
        if workspaces < 1 or companies < 0 or workspaces > 99 or companies > 999_999 or books < 0:
            raise CommandError(_("--workspaces must be 1-99, --companies 0-999999 and --books 0 or more."))
        seed_resources()
        logins = seed_demo(workspaces=workspaces, companies=companies, password=password, provision=provision)
        if admin:
            seed_admin(password=password)
            self.stdout.write(
                "  "
                + _("%(email)s  password: %(password)s  (administrator, /admin/)")
                % {"email": "admin@example.com", "password": password}
            )
        for login in logins:
            with_books = 0
            for company in demo_active_companies(workspace=login.workspace, count=books):
                with schema_context(company.schema_name):
                    seed_books(seed=company.pk)
                with_books += 1
            # The board shows its figures at once, without waiting for a worker.
            company_snapshots_refresh(
                company_ids=CompanyAccess.objects.filter(workspace=login.workspace, company__isnull=False)
                .values_list("company_id", flat=True)
                .iterator()
            )
            self.stdout.write(
                "  "
                + _(
                    "%(email)s  password: %(password)s  (%(count)s companies, %(books)s with a year of books)"
                )
                % {
                    "email": login.email,
                    "password": login.password,
                    "count": login.companies,
                    "books": with_books,
                }
            )
            for role, email in demo_team_emails(login.number).items():
                self.stdout.write(
                    "  "
                    + _("%(email)s  password: %(password)s  (%(role)s of that workspace)")
                    % {"email": email, "password": login.password, "role": WorkspaceMember.Role(role).label}
                )
