from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.demo import seed_admin
from firms.demo import seed_demo
from indicators.demo import seed_resources


class Command(BaseCommand):
    help = (
        "Create demo workspaces (demo1@example.com ...) with Colombian companies and valid NITs. Idempotent."
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

    def handle(self, *args, workspaces, companies, password, provision, admin, **options):
        if workspaces < 1 or companies < 0 or workspaces > 99 or companies > 999_999:
            raise CommandError(_("--workspaces must be 1-99 and --companies 0-999999."))
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
            self.stdout.write(
                "  "
                + _("%(email)s  password: %(password)s  (%(count)s companies)")
                % {"email": login.email, "password": login.password, "count": login.companies}
            )
