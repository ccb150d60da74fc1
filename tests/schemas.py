import psycopg
from django.conf import settings
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


def app_connection() -> psycopg.Connection:
    """The test database, connected as the app role (settings.DATABASE_APP), in autocommit."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=settings.DATABASE_APP["USER"],
        password=settings.DATABASE_APP["PASSWORD"] or None,
        autocommit=True,
    )


def _books_migrations_newest_first() -> list:
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (leaf,) = graph.leaf_nodes("books")
    return [graph.nodes[node] for node in reversed(graph.forwards_plan(leaf)) if node[0] == "books"]


def _newest_books_migration_index(migrations: list) -> int:
    """Where books' newest migration that cannot run twice stands (newest first). A migration that only
    applies books/sql/ledger.sql again is passed over: it can run twice (CREATE OR REPLACE)."""
    from books.sql import LedgerRules

    return next(
        index
        for index, migration in enumerate(migrations)
        if not all(isinstance(operation, LedgerRules) for operation in migration.operations)
    )


def latest_books_migration() -> tuple[str, str]:
    """books' newest migration that cannot run twice and the one before it (tests that play "a migration is
    new")."""
    migrations = _books_migrations_newest_first()
    index = _newest_books_migration_index(migrations)
    return migrations[index].name, migrations[index + 1].name


def unapply_latest_books_migration(schema_name: str, *, keep_changes: bool = False) -> None:
    """As if books' newest migration were new to `schema_name`: reversed for real, or (keep_changes) only
    forgotten, so that applying it again fails (its column is already there)."""
    from django.db.migrations.executor import MigrationExecutor
    from django_tenants.utils import schema_context

    latest, previous = latest_books_migration()
    if keep_changes:  # the ones after it too, or the history would be inconsistent
        migrations = _books_migrations_newest_first()
        newest = _newest_books_migration_index(migrations)
        forgotten = [migration.name for migration in migrations[: newest + 1]]
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{schema_name}".django_migrations WHERE app = %s AND name = ANY(%s)',  # noqa: S608
                ["books", forgotten],
            )
        return
    with schema_context(schema_name):  # this schema only (django-tenants' migrate command walks them all)
        executor = MigrationExecutor(connection)
        executor.migrate([("books", previous)])


def schema_columns(schema_name: str) -> set[tuple[str, str]]:
    """Every (table, column) of a schema: two schemas at the same migration have the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s",
            [schema_name],
        )
        return set(cursor.fetchall())
