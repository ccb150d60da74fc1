from django.core.management.base import BaseCommand
from django.db import connection

from core.database import app_role_grant, two_roles


class Command(BaseCommand):
    help = (
        "Give the app role (DATABASE_URL's) its privileges in every schema the owner role "
        "(DATABASE_OWNER_URL's) owns: after scripts/restore.sh, or when an install that had one role gets "
        "two. Safe to run again."
    )

    def handle(self, *args, **options):
        if not two_roles():
            self.stdout.write("One database role (DATABASE_OWNER_URL is not set): nothing to grant.")
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname = 'public' OR nspowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY nspname"
            )
            schemas = [name for (name,) in cursor.fetchall()]
        app_role_grant(schemas)
        self.stdout.write(f"The app role may use {len(schemas)} schemas.")
