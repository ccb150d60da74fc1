#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountant_portal.settings.dev")
    # Commands own the schema (migrations, provisioning); runserver serves requests as the app role.
    os.environ.setdefault("DATABASE_ROLE", "app" if sys.argv[1:2] == ["runserver"] else "owner")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
