"""What the code must keep true so that companies can be spread over servers (docs/scaling.md): each
company schema stands alone (Citus distributed schema, or company_export/company_import)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
APP_DIRS = [
    "core",
    "accounts",
    "firms",
    "invitations",
    "bulk_import",
    "books",
    "indicators",
    "accountant_portal",
]
TENANT_APPS = {name.rsplit(".", 1)[-1] for name in settings.TENANT_APPS}
# Public tables that a company's tables may point at: they would be Citus reference tables. None so far.
REFERENCE_MODELS: set[str] = set()
# SQL that names a schema other than the current one, and why it may.
SCHEMA_QUALIFIED_ALLOWED = {
    "books/services/chart.py": "provisioning copies the chart from the template schema (docs/scaling.md)",
    "firms/schema_migrations.py": "reads one schema's own django_migrations",
}
# DDL outside migrations, and why it may.
DDL_ALLOWED = {
    "firms/services/provisioning.py": "creates company and template schemas (the DDL comes from migrations)"
}
SCHEMA_QUALIFIED = re.compile(
    # an interpolated schema ({source}.books_account) or a company/template schema's name
    r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:\{[^}]*\}|\"?(?:c|tpl)_[a-z0-9_]*\"?)\.\"?[a-z_]+"
)
DDL = re.compile(
    r"\b(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|SCHEMA|FUNCTION|TRIGGER|SEQUENCE|VIEW|EXTENSION)\b"
)


def _app_sources():
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text()


def _tenant_models():
    return [model for model in apps.get_models() if model._meta.app_label in TENANT_APPS]


def test_company_tables_point_only_at_tables_of_the_same_company_or_at_reference_tables():
    wrong = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in _tenant_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
        if field.related_model._meta.app_label not in TENANT_APPS
        and field.related_model._meta.label not in REFERENCE_MODELS
    ]
    assert wrong == [], "keep a copy of the value (e.g. posted_by_id + posted_by_name) instead"


def test_public_tables_never_point_at_company_tables():
    wrong = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label not in TENANT_APPS
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
        if field.related_model._meta.app_label in TENANT_APPS
    ]
    assert wrong == []


def test_no_query_in_the_code_names_another_schema_outside_the_allowed_places():
    found = [
        f"{name}: {match.group(0)}"
        for name, text in _app_sources()
        if name not in SCHEMA_QUALIFIED_ALLOWED
        for match in SCHEMA_QUALIFIED.finditer(text)
        if not match.group(0).split()[-1].lower().startswith(("pg_catalog.", "information_schema."))
    ]
    assert found == [], "a query reads the current company's schema only (schema_context sets it)"


def test_ddl_is_run_only_by_migrations_and_provisioning():
    found = [
        f"{name}: {match.group(0)}"
        for name, text in _app_sources()
        if name not in DDL_ALLOWED
        for match in DDL.finditer(text)
    ]
    assert found == [], "schema changes go through migrations, so that every company schema gets them"


CATALOG_CHECKS = {
    "tables without a primary key": """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND c.relkind = 'r'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p')""",
    "foreign keys to another schema": """
        SELECT con.conname FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
        WHERE n.nspname = %(s)s AND con.contype = 'f' AND rn.nspname <> %(s)s""",
    "columns fed by a sequence of another schema": """
        SELECT a.attname FROM pg_depend d
        JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
        JOIN pg_namespace sn ON sn.oid = seq.relnamespace
        JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE (tn.nspname = %(s)s) <> (sn.nspname = %(s)s)""",
    "defaults that call a sequence of another schema": """
        SELECT c.relname FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%%'
          AND pg_get_expr(ad.adbin, ad.adrelid) NOT LIKE 'nextval(''' || %(s)s || '.%%'""",
    "functions that read another schema": """
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = %(s)s
          AND coalesce(array_to_string(p.proconfig, ','), '') <> 'search_path=' || %(s)s || ', public'""",
    "triggers calling functions of another schema": """
        SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE n.nspname = %(s)s AND NOT t.tgisinternal AND p.pronamespace <> n.oid""",
}


@pytest.mark.parametrize("check", list(CATALOG_CHECKS))
def test_a_company_schema_stands_alone(company_pena, check):
    with connection.cursor() as cursor:
        cursor.execute(CATALOG_CHECKS[check], {"s": company_pena.schema_name})
        assert cursor.fetchall() == [], check


def test_a_company_schema_has_its_own_sequences_and_ledger_triggers(company_pena):
    """The checks above look at something: the schema has identity sequences and the ledger's triggers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'S'",
            [company_pena.schema_name],
        )
        assert cursor.fetchone()[0] >= len(_tenant_models())
        cursor.execute(
            "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = %s",
            [company_pena.schema_name],
        )
        assert cursor.fetchone()[0] >= 7
