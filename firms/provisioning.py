"""Fast provisioning of company schemas: replay what the migrations did, instead of migrating.

The first provisioning after a migration change migrates a template schema the ordinary way while
recording every statement the migrations send to PostgreSQL; each new company then gets the same
statements replayed in its own schema (tests compare the result with a migrated schema). Measured in
bench/run.py against django-tenants' default (CREATE SCHEMA + migrations).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_context, schema_exists

from .models import SchemaTemplate


@dataclass(frozen=True)
class SchemaSeeder:
    """A tenant app's starting rows (e.g. the chart of accounts), registered by the app in its ready().

    `seed_template()` fills the template schema once (current schema); `copy(country=, template_schema=)`
    fills a new company's schema (current schema) from the template, for the company's country.
    """

    seed_template: Callable[[], None]
    copy: Callable[..., None]


SCHEMA_SEEDERS: list[SchemaSeeder] = []


def schema_seeder_register(seeder: SchemaSeeder) -> None:
    if seeder not in SCHEMA_SEEDERS:
        SCHEMA_SEEDERS.append(seeder)


# Statements that read or manage the session, not the schema: not replayed.
# The app role's grants name the template's schema: provisioning grants them for the new schema instead.
NOT_REPLAYED = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK",
    "SHOW",
    "SET SEARCH_PATH",
    "GRANT",
    "REVOKE",
    "ALTER DEFAULT PRIVILEGES",
)


@cache
def migration_state_key() -> str:
    """Names every migration on disk: a new migration makes a new key (and a new template)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = "\n".join(sorted(f"{app}.{name}" for app, name in loader.graph.nodes))
    return hashlib.sha256(nodes.encode()).hexdigest()[:16]


def _jsonable(value):
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def schema_template() -> SchemaTemplate:
    """The template for the current migrations, built on first use. Call under the provisioning lock."""
    key = migration_state_key()
    template = SchemaTemplate.objects.filter(key=key).first()
    if template is not None and schema_exists(template.schema_name):
        return template
    schema_name = f"tpl_{key}"
    recorded: list = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not sql.lstrip().upper().startswith(NOT_REPLAYED):
            recorded.append([sql, _jsonable(params) if params else None, many])
        return result

    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema_name)} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quote(schema_name)}")
    with connection.execute_wrapper(record):
        call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()

    with schema_context(schema_name):
        for seeder in SCHEMA_SEEDERS:  # the template keeps the seeded rows that new companies copy
            seeder.seed_template()
    SchemaTemplate.objects.filter(key=key).delete()
    return SchemaTemplate.objects.create(key=key, schema_name=schema_name, statements=recorded)


def schema_seed(*, schema_name: str, country: str, template: SchemaTemplate) -> None:
    """Copy the template's starting rows that apply to `country` into a new company schema."""
    with schema_context(schema_name):
        for seeder in SCHEMA_SEEDERS:
            seeder.copy(country=country, template_schema=template.schema_name)


def schema_replay(*, schema_name: str, template: SchemaTemplate) -> None:
    """Create `schema_name` with the template's tables, indexes, constraints and recorded migrations."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote(schema_name)}")
        cursor.execute(f"SET LOCAL search_path TO {quote(schema_name)}, public")
        try:
            for sql, params, many in template.statements:
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
        finally:
            cursor.execute("SET LOCAL search_path TO public")
