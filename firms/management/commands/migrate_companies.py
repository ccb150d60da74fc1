from django.core.management import call_command
from django.core.management.base import BaseCommand

from firms.models import Company


class Command(BaseCommand):
    help = (
        "Apply pending tenant migrations to every company whose schema is ready. Companies still pending "
        "get the current migrations when provisioned (django-tenants' migrate_schemas fails on them)."
    )

    def handle(self, *args, **options):
        schemas = list(
            Company.objects.filter(provisioning_status=Company.Provisioning.READY)
            .order_by("id")
            .values_list("schema_name", flat=True)
        )
        for schema_name in schemas:
            call_command(
                "migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0
            )
        self.stdout.write(f"{len(schemas)} company schemas up to date.")
