from django.db import connection


def drop_schema(*schema_names: str) -> None:
    """Drop company schemas a test created (deferred constraints first, or PostgreSQL refuses)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for schema_name in schema_names:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def subprocess_database_url() -> str:
    """The test database, for the project's commands and workers that a test starts in another process."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
