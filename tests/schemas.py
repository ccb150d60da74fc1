from django.db import connection


def drop_schema(*schema_names: str) -> None:
    """Drop company schemas a test created (deferred constraints first, or PostgreSQL refuses)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for schema_name in schema_names:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
