"""books/sql/ledger.sql is the one home of the ledger's rules: a new company schema has exactly its functions
and triggers, and the newest migration that applies it applies the file as it is."""

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from books.sql import LedgerRules, ledger_sql, ledger_sql_sha256
from firms.services.provisioning import company_provision
from tests.factories import CompanyFactory
from tests.schemas import drop_schema

FUNCTIONS = """
SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = %s"""
TRIGGERS = """
SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %s AND NOT t.tgisinternal"""


def _definitions(schema_name: str) -> dict[str, dict[str, str]]:
    with connection.cursor() as cursor:
        found = {}
        for kind, sql in (("functions", FUNCTIONS), ("triggers", TRIGGERS)):
            cursor.execute(sql, [schema_name])
            found[kind] = dict(cursor.fetchall())
        return found


@pytest.fixture
def fresh_schema(db):
    """A company schema made as new companies get theirs (the migrations' recorded SQL, replayed)."""
    company = CompanyFactory(name="Recién Llegada")
    try:
        company_provision(company_id=company.pk)
        yield company.schema_name
    finally:
        connection.set_schema_to_public()
        drop_schema(company.schema_name)


def _from_the_file_alone(schema_name: str) -> dict[str, dict[str, str]]:
    """The schema's functions and triggers once every function (and with it every trigger) is dropped and
    ledger.sql applied, as a migration applies it; undone afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = %s",
            [schema_name],
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION {function} CASCADE")
        assert _definitions(schema_name) == {"functions": {}, "triggers": {}}
        cursor.execute(f'SET LOCAL search_path TO "{schema_name}", public')
        for statement in connection.ops.prepare_sql_script(ledger_sql()):
            cursor.execute(statement)
        cursor.execute("SET LOCAL search_path TO public")
        found = _definitions(schema_name)
        transaction.set_rollback(True)
    return found


def test_a_new_company_schema_has_exactly_the_functions_and_triggers_of_ledger_sql(fresh_schema):
    provisioned = _definitions(fresh_schema)
    functions = provisioned["functions"]
    assert {"books_entry_guard", "books_balances_follow", "books_no_truncate"} <= functions.keys()
    assert _from_the_file_alone(fresh_schema) == provisioned
    # What CREATE OR REPLACE would silently lose if the file did not say it: the app role may not write the
    # kept balances, the posting trigger does as its owner; and every function reads its own schema.
    assert [name for name, text in functions.items() if "SECURITY DEFINER" in text] == [
        "books_balances_follow"
    ]
    assert all(f"SET search_path TO '{fresh_schema}', 'public'" in text for text in functions.values())


def test_a_function_in_the_schema_that_ledger_sql_does_not_define_is_found(fresh_schema):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'CREATE FUNCTION "{fresh_schema}".books_stray() RETURNS trigger LANGUAGE plpgsql'
            " AS $$BEGIN RETURN NULL; END$$"
        )
        provisioned = _definitions(fresh_schema)
        from_file = _from_the_file_alone(fresh_schema)
        transaction.set_rollback(True)
    assert "books_stray" in provisioned["functions"]
    assert from_file != provisioned and "books_stray" not in from_file["functions"]


def test_the_newest_migration_that_applies_ledger_sql_applies_it_as_it_is():
    """A change of ledger.sql needs a migration that applies it again, or no company would get it: existing
    schemas have run the older migrations, and new ones replay their recorded SQL."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (leaf,) = graph.leaf_nodes("books")
    steps = [
        operation
        for node in graph.forwards_plan(leaf)
        for operation in graph.nodes[node].operations
        if isinstance(operation, LedgerRules)
    ]
    assert steps, "a books migration applies books/sql/ledger.sql"
    assert steps[-1].sha256 == ledger_sql_sha256(), (
        "books/sql/ledger.sql changed: add a books migration with "
        f'operations = [LedgerRules(sha256="{ledger_sql_sha256()}")]'
    )
