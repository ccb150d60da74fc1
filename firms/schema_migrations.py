"""Tenant migrations over every company schema, in parallel, resumable.

Each schema is migrated on its own (its own connection, its own transactions per migration), so a
failure leaves that schema at the last migration that applied and the others untouched. A schema whose
`django_migrations` already holds every tenant migration on disk is skipped: running again after a
failure finishes only what is left.
"""

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from core.database import app_role_grant, app_role_ungranted

from .models import Company
from .services.provisioning import quote


@dataclass(frozen=True)
class SchemaOutcome:
    schema_name: str
    status: str  # "migrated", "skipped" (already at the target) or "failed"
    error: str = ""


@dataclass
class MigrationRun:
    total: int
    started: float = field(default_factory=time.monotonic)
    outcomes: list[SchemaOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[SchemaOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    def progress_line(self) -> str:
        return (
            f"{len(self.outcomes)}/{self.total} schemas: {self.count('migrated')} migrated, "
            f"{self.count('skipped')} already up to date, {self.count('failed')} failed, "
            f"{time.monotonic() - self.started:.1f} s"
        )


def tenant_migration_target() -> frozenset[tuple[str, str]]:
    """Every migration on disk of the tenant apps: a schema holding all of them is up to date."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_apps = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    return frozenset((app, name) for app, name in loader.graph.nodes if app in tenant_apps)


def migrations_on_disk() -> frozenset[tuple[str, str]]:
    """Every migration of every app (a schema's django_migrations records the shared apps' too)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def schema_applied_migrations(schema_name: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote(schema_name)}.django_migrations")  # noqa: S608
        return set(cursor.fetchall())


def schema_migrate(schema_name: str) -> None:
    """The migrations of one schema, through django-tenants (as `migrate_schemas --schema` does)."""
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)


# What each worker runs per schema; the benchmark swaps in nothing else, only the migrations on disk.
_worker_state: dict = {}


def _worker_init(target: frozenset, migrate: Callable[[str], None]) -> None:
    connections.close_all()  # a forked worker must not share the parent's connection
    _worker_state.update(target=target, migrate=migrate)


def _migrate_one(schema_name: str) -> SchemaOutcome:
    target, migrate = _worker_state["target"], _worker_state["migrate"]
    try:
        if target <= schema_applied_migrations(schema_name):
            return SchemaOutcome(schema_name, "skipped")
        migrate(schema_name)
        return SchemaOutcome(schema_name, "migrated")
    except Exception as exc:  # one schema's failure must not stop the others
        connection.close()  # the next schema starts on a clean connection
        return SchemaOutcome(schema_name, "failed", f"{type(exc).__name__}: {exc}".strip()[:2000])
    finally:
        connection.set_schema_to_public()


def ready_company_schemas() -> list[str]:
    return list(
        Company.objects.filter(provisioning_status=Company.Provisioning.READY)
        .order_by("id")
        .values_list("schema_name", flat=True)
    )


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def companies_migrate(
    *,
    schema_names: Iterable[str] | None = None,
    processes: int | None = None,
    progress: Callable[[MigrationRun], None] | None = None,
    progress_every: float = 1.0,
    migrate: Callable[[str], None] = schema_migrate,
) -> MigrationRun:
    """Migrate every ready company schema (or `schema_names`) with `processes` worker processes.

    Calls `progress` at most every `progress_every` seconds and once at the end. Never raises for a
    schema's failure: the run's outcomes list them, and a second run retries only what is not done.
    """
    schemas = list(schema_names) if schema_names is not None else ready_company_schemas()
    processes = processes or default_processes()
    target = tenant_migration_target()
    run = MigrationRun(total=len(schemas))
    last = 0.0

    def record(outcome: SchemaOutcome) -> None:
        nonlocal last
        run.outcomes.append(outcome)
        if progress and time.monotonic() - last >= progress_every:
            last = time.monotonic()
            progress(run)

    if processes == 1 or len(schemas) <= 1:
        _worker_state.update(target=target, migrate=migrate)
        for schema_name in schemas:
            record(_migrate_one(schema_name))
    else:
        connections.close_all()  # forked workers open their own connections
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_worker_init, initargs=(target, migrate)) as pool:
            for outcome in pool.imap_unordered(_migrate_one, schemas, chunksize=1):
                record(outcome)
    # Schemas made before the app role existed (an install that had one role) get its privileges once.
    app_role_grant(app_role_ungranted(schemas))
    if progress:
        progress(run)
    return run
