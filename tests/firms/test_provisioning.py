"""The fast path (replaying the template) must give exactly what the migrations give."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from books.services.chart import chart_seed
from firms.models import SchemaTemplate
from firms.services.provisioning import company_provision, migration_state_key, schema_template
from tests.factories import CompanyFactory
from tests.schemas import drop_schema

CATALOG_QUERIES = {
    "tables": """
        SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = %(s)s""",
    "columns": """
        SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length,
               numeric_precision, is_nullable, column_default, is_identity, identity_generation
        FROM information_schema.columns WHERE table_schema = %(s)s""",
    "indexes": """
        SELECT tablename, indexname, replace(indexdef, %(s)s || '.', 'SCHEMA.')
        FROM pg_indexes WHERE schemaname = %(s)s""",
    "constraints": """
        SELECT c.relname, con.conname, con.contype, con.condeferrable, con.condeferred,
               replace(pg_get_constraintdef(con.oid, true), %(s)s || '.', 'SCHEMA.')
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(s)s""",
    "triggers": """
        SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_orientation,
               replace(action_statement, %(s)s, 'SCHEMA')
        FROM information_schema.triggers WHERE trigger_schema = %(s)s""",
    "functions": """
        SELECT p.proname, md5(p.prosrc), replace(array_to_string(p.proconfig, ','), %(s)s, 'SCHEMA')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s""",
    "sequences": """
        SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
        WHERE sequence_schema = %(s)s""",
}


def _catalog(schema):
    result = {}
    with connection.cursor() as cursor:
        for name, sql in CATALOG_QUERIES.items():
            cursor.execute(sql, {"s": schema})
            result[name] = sorted(cursor.fetchall(), key=repr)
    return result


def _rows(schema, sql):
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def migrated_and_replayed(db):
    slow = CompanyFactory(name="Migrada", country="CO")
    fast = CompanyFactory(name="Replicada", country="CO")
    try:
        slow.create_schema(check_if_exists=True, verbosity=0)  # django-tenants' default: the migrations
        with schema_context(slow.schema_name):
            chart_seed(country="CO")
        company_provision(company_id=fast.pk)
        yield slow.schema_name, fast.schema_name
    finally:
        drop_schema(slow.schema_name, fast.schema_name)


def test_replayed_schema_has_exactly_the_migrated_tables_columns_indexes_and_constraints(
    migrated_and_replayed,
):
    slow, fast = migrated_and_replayed
    slow_catalog, fast_catalog = _catalog(slow), _catalog(fast)
    assert slow_catalog["tables"], "the migrated schema has tables"
    assert {"books_account", "django_migrations"} <= {t for t, _ in slow_catalog["tables"]}
    assert {"books_entry_guard", "books_balances_follow"} <= {f[0] for f in slow_catalog["functions"]}
    # Each function reads its own company's tables, whatever the session's search_path.
    assert {f[2] for f in fast_catalog["functions"]} == {"search_path=SCHEMA, public"}
    for part in CATALOG_QUERIES:
        assert fast_catalog[part] == slow_catalog[part], part


def test_replayed_schema_has_the_same_seeded_rows_and_recorded_migrations(migrated_and_replayed):
    slow, fast = migrated_and_replayed
    accounts = (
        "SELECT code, name, level, parent_id, nature, search_text, is_custom FROM books_account ORDER BY code"
    )
    assert _rows(fast, accounts) == _rows(slow, accounts)
    assert len(_rows(fast, accounts)) == 2471
    migrations = "SELECT app, name FROM django_migrations ORDER BY app, name"
    assert _rows(fast, migrations) == _rows(slow, migrations)
    assert ("books", "0001_initial") in _rows(fast, migrations)
    voucher_types = "SELECT code, name, next_number, is_system FROM books_vouchertype ORDER BY code"
    assert _rows(fast, voucher_types) == _rows(slow, voucher_types)
    codes = [row[0] for row in _rows(fast, voucher_types)]
    assert codes == ["CC", "CE", "CI", "FC", "FV", "NC", "ND", "RC", "SI"]


def test_provisioning_does_not_run_migrations_per_company(db, monkeypatch):
    schema_template()  # built once per migration state
    calls = []
    monkeypatch.setattr("firms.services.provisioning.call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr("django_tenants.models.call_command", lambda *a, **k: calls.append(a))
    company = CompanyFactory(name="Sin migraciones")
    try:
        company_provision(company_id=company.pk)
        assert calls == []
    finally:
        drop_schema(company.schema_name)


def test_a_new_migration_state_builds_a_new_template(db, monkeypatch):
    current = schema_template()
    monkeypatch.setattr("firms.services.provisioning.migration_state_key", lambda: "otrallave00000001")
    try:
        newer = schema_template()
        assert newer.key == "otrallave00000001" and newer.schema_name != current.schema_name
        assert SchemaTemplate.objects.filter(key=current.key).exists()
        assert any(
            "CREATE TABLE" in sql and "books_account" in sql for sql, _params, _many in newer.statements
        )
    finally:
        drop_schema(newer.schema_name)
    assert migration_state_key() == current.key
