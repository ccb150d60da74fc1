"""Fast provisioning of company schemas: replay what the migrations did, instead of migrating.

The first provisioning after a migration change migrates a template schema the ordinary way while
recording every statement the migrations send to PostgreSQL; each new company then gets the same
statements replayed in its own schema (tests compare the result with a migrated schema). Measured in
bench/run.py against django-tenants' default (CREATE SCHEMA + migrations).

`company_provision` is the use case (a worker's task, `seed_demo --provision`, a command that needs the
books): it runs as the owner role, since the app role creates no schemas (core.database).
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from core.database import app_role_grant
from core.queue import enqueue_on_commit

from ..models import (
    Company,
    SchemaTemplate,
)
from .common import DomainError
from .snapshots import snapshot_refresh_queue

logger = logging.getLogger(__name__)


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


# Key of the transaction-level advisory lock that serializes schema DDL: PostgreSQL's catalog locks make
# concurrent CREATE SCHEMA + replays deadlock-prone, so provisioning (and company_import) take this lock and
# create one schema at a time; each schema, its tables and its seeded rows commit together or not at all.
PROVISIONING_LOCK_KEY = 7_301_001


class CompanyProvisioningError(DomainError):
    """The company's books could not be prepared (the message, in the user's language, says so)."""

    def __init__(self, message: str = ""):
        super().__init__(message or _("The company's books could not be prepared. Try again in a moment."))


def company_provision_later(*, company_ids: Iterable[int]) -> None:
    """Queue provisioning once the current transaction commits, in the given order. With the broker
    down the companies stay pending: the beat job or the first visit provisions them."""
    from ..tasks import company_provision_task

    for company_id in company_ids:
        enqueue_on_commit(company_provision_task, company_id)


def company_provision(*, company_id: int) -> Company:
    """Create the company's schema and seed its books. Safe to run twice or concurrently.

    The schema is made by replaying a migrated template's statements (above), not by
    running the migrations again for each company.

    Schema DDL is serialized by an advisory lock; the schema, its tables and the seeded rows are
    committed together or not at all, and the status tells the truth in between.
    """
    company = Company.objects.get(pk=company_id)  # DoesNotExist: a company deleted since it was queued
    if company.is_ready:
        return company
    Company.objects.filter(pk=company_id).exclude(provisioning_status=Company.Provisioning.READY).update(
        provisioning_status=Company.Provisioning.PROVISIONING
    )
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK_KEY])
            company = Company.objects.select_for_update().get(pk=company_id)
            if company.provisioning_status == Company.Provisioning.READY:
                return company
            started = timezone.now()
            if not schema_exists(company.schema_name):
                template = schema_template()
                schema_replay(schema_name=company.schema_name, template=template)
                schema_seed(schema_name=company.schema_name, country=company.country, template=template)
                app_role_grant([company.schema_name])
            company.provisioning_status = Company.Provisioning.READY
            company.provisioning_error = ""
            company.provisioned_at = timezone.now()
            company.save(update_fields=["provisioning_status", "provisioning_error", "provisioned_at"])
            snapshot_refresh_queue(company_id=company.pk)
            logger.info("Provisioned %s in %s", company.schema_name, company.provisioned_at - started)
            return company
    except Exception as exc:
        logger.exception("Provisioning company %s failed", company_id)
        Company.objects.filter(pk=company_id).update(
            provisioning_status=Company.Provisioning.FAILED, provisioning_error=str(exc)[:2000]
        )
        raise CompanyProvisioningError() from exc
