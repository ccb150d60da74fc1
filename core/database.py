"""The two PostgreSQL roles: settings.DATABASE_OWNER and settings.DATABASE_APP (README, "Database roles").

The owner role owns every schema, table and trigger function: it runs the migrations, provisions company
schemas and runs the nightly balance check. The app role, which web requests and the other tasks use, owns
nothing: it reads and writes rows where the app needs to, and cannot TRUNCATE, ALTER a table, disable a
trigger or set `session_replication_role`; on the tables whose rows the database keeps itself (the kept
balances, the activity log) it keeps only the privileges registered with `app_role_limit`.
"""

from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

# table -> the only privileges the app role has on it, registered by the app that owns the table.
APP_ROLE_LIMITS: dict[str, str] = {}
APP_ROLE_PRIVILEGES = {
    "TABLES": "SELECT, INSERT, UPDATE, DELETE",
    "SEQUENCES": "USAGE, SELECT, UPDATE",
}


def app_role_limit(table: str, privileges: str) -> None:
    """The app role may only `privileges` (e.g. "SELECT, INSERT") on `table`, in every schema."""
    APP_ROLE_LIMITS[table] = privileges


def two_roles() -> bool:
    """False when DATABASE_OWNER_URL is not set: one role does everything, without the protection."""
    return settings.DATABASE_APP["USER"] != settings.DATABASE_OWNER["USER"]


def connected_as_owner() -> bool:
    """Whether this process's connection is the owner role's (commands, tests; the web only with one role)."""
    return connections[DEFAULT_DB_ALIAS].settings_dict["USER"] == settings.DATABASE_OWNER["USER"]


@contextmanager
def connected_as(credentials: dict):
    """Run the block on a connection as another role (USER, PASSWORD) of the same database. Only between
    transactions: a transaction belongs to the connection that began it."""
    conn = connections[DEFAULT_DB_ALIAS]
    saved = {key: conn.settings_dict[key] for key in credentials}
    if saved == credentials:
        yield
        return
    if conn.in_atomic_block:
        raise RuntimeError("The database role cannot change inside a transaction.")
    conn.close()
    conn.settings_dict.update(credentials)
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict.update(saved)


def owner_connection():
    """The worker's provisioning and balance check: as the owner role, through DATABASE_OWNER_URL."""
    return connected_as(settings.DATABASE_OWNER)


def app_role_grant(schema_names: Iterable[str]) -> None:
    """Give the app role what it may do in these schemas (run as the owner; safe to run again). Objects
    the owner creates later get the same from the default privileges set here."""
    if not two_roles():
        return
    quote = connection.ops.quote_name
    app = quote(settings.DATABASE_APP["USER"])
    with connection.cursor() as cursor:
        for kind, privileges in APP_ROLE_PRIVILEGES.items():
            cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT {privileges} ON {kind} TO {app}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO {app}")
        for schema_name in schema_names:
            schema = quote(schema_name)
            cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
            for kind, privileges in APP_ROLE_PRIVILEGES.items():
                cursor.execute(f"GRANT {privileges} ON ALL {kind} IN SCHEMA {schema} TO {app}")
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = ANY(%s)",
                [schema_name, list(APP_ROLE_LIMITS)],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"REVOKE ALL ON {schema}.{quote(table)} FROM {app}")
                cursor.execute(f"GRANT {APP_ROLE_LIMITS[table]} ON {schema}.{quote(table)} TO {app}")


def app_role_ungranted(schema_names: Iterable[str]) -> list[str]:
    """Those of the schemas the app role may not use yet."""
    if not two_roles():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace"
            " WHERE nspname = ANY(%s) AND NOT has_schema_privilege(%s, oid, 'USAGE')",
            [list(schema_names), settings.DATABASE_APP["USER"]],
        )
        return [name for (name,) in cursor.fetchall()]


def app_role_grant_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate (once per migrate run): the migrated schema's new tables, for the app role."""
    app_role_grant([connections[using].schema_name])
