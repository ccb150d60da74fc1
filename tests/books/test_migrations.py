"""Companies seeded with the old PUC get the cleaned one through the migrations (0003, 0004)."""

from datetime import date

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from books.models import Account, AccountBalance, BooksSettings, Entry, VoucherType
from tests.factories import CompanyFactory
from tests.schemas import drop_schema

OLD_ROWS = [
    ("1", "clase", None, "ACTIVO", False),
    ("13", "grupo", "1", "DEUDORES", False),
    ("1305", "cuenta", "13", "CLIENTES", False),
    ("130501", "subcuenta", "1305", "pedro", False),
    ("130505", "subcuenta", "1305", "BETSABE PETECUA PACHECO", False),
    ("130510", "subcuenta", "1305", "KATHERINE RADA SIERRA", False),
    ("130512", "subcuenta", "1305", "CESAR  TULIO   ESTRADA  MORENO", False),
    ("13051201", "auxiliar", "130512", "Una cuenta de la empresa", True),
    ("11", "grupo", "1", "DISPONIBLE", False),
    ("1105", "cuenta", "11", "CAJA", False),
    ("110505", "subcuenta", "1105", "CAJA GENERAL", False),
    ("1105051", "auxiliar", "110505", "Caja sede norte", True),
    ("110505101", "auxiliar", "1105051", "Caja sede norte, turno noche", True),
    ("4", "clase", None, "INGRESOS", False),
    ("2", "clase", None, "PASIVO", False),
    ("23", "grupo", "2", "CUENTAS POR PAGAR", False),
    ("2335", "cuenta", "23", "COSTOS Y GASTOS POR  PAGAR", False),
]


def test_old_charts_are_cleaned_and_get_natures(db):
    company = CompanyFactory(name="Antigua")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{company.schema_name}"')
        call_command(
            "migrate_schemas",
            "books",
            "0002_ledger",
            tenant=True,
            schema_name=company.schema_name,
            interactive=False,
            verbosity=0,
        )
        with schema_context(company.schema_name), connection.cursor() as cursor:
            for code, level, parent, name, custom in OLD_ROWS:
                cursor.execute(
                    "INSERT INTO books_account (code, level, parent_id, name, search_text, is_custom, "
                    "nature, is_active, requires_third_party, requires_cost_center) "
                    "VALUES (%s, %s, %s, %s, '', %s, 'D', true, false, false)",
                    [code, level, parent, name, custom],
                )
        call_command(
            "migrate_schemas", tenant=True, schema_name=company.schema_name, interactive=False, verbosity=0
        )
        with schema_context(company.schema_name):
            accounts = {a.code: a for a in Account.objects.all()}
            assert "130501" not in accounts  # a person's name, removed
            assert accounts["130505"].name == "NACIONALES" and accounts["130510"].name == "DEL EXTERIOR"
            assert "130512" in accounts  # the company hung its own account from it: kept
            assert accounts["2335"].name == "COSTOS Y GASTOS POR PAGAR" and accounts["2335"].nature == "C"
            # The company's 7- and 9-digit accounts now follow the PUC structure, their hierarchy kept.
            assert "1105051" not in accounts and "110505101" not in accounts
            (sede,) = [a for a in accounts.values() if a.name == "Caja sede norte"]
            (night,) = [a for a in accounts.values() if a.name == "Caja sede norte, turno noche"]
            assert sede.code == "11050501" and sede.parent_id == "110505"
            assert night.parent_id == sede.code and len(night.code) == 10 and night.code.startswith(sede.code)
            assert {a.nature for a in accounts.values() if a.code.startswith("1")} == {"D"}
    finally:
        connection.set_schema_to_public()
        drop_schema(company.schema_name)


def _posted_sql(cursor, *, voucher: str, number: int, day: str, source: str = "manual") -> int:
    """A comprobante posted the way the books allowed before 0014 (raw SQL through the old triggers)."""
    cursor.execute(
        "INSERT INTO books_entry (voucher_type_id, date, description, status, source, total, "
        "prepared_by_name, created_at, posted_by_name, annulled_by_name, annul_reason) "
        "SELECT id, %s, '', 'draft', %s, 0, '', now(), '', '', '' FROM books_vouchertype WHERE code = %s "
        "RETURNING id",
        [day, source, voucher],
    )
    (entry_id,) = cursor.fetchone()
    cursor.execute(
        "INSERT INTO books_entryline (entry_id, line_no, date, account_id, description, debit, credit) "
        "VALUES (%s, 1, %s, '519530', '', 0, 100), (%s, 2, %s, '361005', '', 100, 0)",
        [entry_id, day, entry_id, day],
    )
    cursor.execute("UPDATE books_entry SET status = 'posted', number = %s WHERE id = %s", [number, entry_id])
    return entry_id


def test_books_written_before_the_bounds_migrate_and_a_duplicate_closing_is_annulled(db):
    """0014 on books the old rules let through: two closings of 2024 (the race), a comprobante of 1985 and one
    numbered near 2^31, a consecutive past the bound. The rows stay (the new checks are for new rows), the
    second closing is annulled, the consecutive comes back to the bound."""
    company = CompanyFactory(name="Antigua Dos")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{company.schema_name}"')
        call_command(
            "migrate_schemas",
            "books",
            "0012_journal_import_queued_at",
            tenant=True,
            schema_name=company.schema_name,
            interactive=False,
            verbosity=0,
        )
        with schema_context(company.schema_name), connection.cursor() as cursor:
            for code, level, parent, name, custom in [
                ("3", "clase", None, "PATRIMONIO", False),
                ("36", "grupo", "3", "RESULTADOS", False),
                ("3610", "cuenta", "36", "PERDIDA", False),
                ("361005", "subcuenta", "3610", "PERDIDA", False),
                ("5", "clase", None, "GASTOS", False),
                ("51", "grupo", "5", "OPERACIONALES", False),
                ("5195", "cuenta", "51", "DIVERSOS", False),
                ("519530", "subcuenta", "5195", "UTILES", False),
            ]:
                cursor.execute(
                    "INSERT INTO books_account (code, level, parent_id, name, search_text, is_custom, "
                    "nature, is_active, requires_third_party, requires_cost_center) "
                    "VALUES (%s, %s, %s, %s, '', %s, 'D', true, false, false)",
                    [code, level, parent, name, custom],
                )
            first = _posted_sql(cursor, voucher="CI", number=1, day="2024-12-31", source="closing")
            second = _posted_sql(cursor, voucher="CI", number=2, day="2024-12-31", source="closing")
            old = _posted_sql(cursor, voucher="CC", number=2_147_483_646, day="1985-06-01")
            cursor.execute("UPDATE books_vouchertype SET next_number = 2147483647 WHERE code = 'CC'")
            cursor.execute(
                "INSERT INTO books_bookssettings (lock_date, singleton, legal_representative, "
                "accountant_name, accountant_card, auditor_name, auditor_card) "
                "VALUES ('2025-01-31', true, '', '', '', '', '')"
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as committed books: nothing pending
        call_command(
            "migrate_schemas", tenant=True, schema_name=company.schema_name, interactive=False, verbosity=0
        )
        with schema_context(company.schema_name):
            statuses = dict(Entry.objects.values_list("pk", "status"))
            assert (statuses[first], statuses[second], statuses[old]) == ("posted", "annulled", "posted")
            december = AccountBalance.objects.get(account_id="361005", period=date(2024, 12, 1))
            assert december.debit == 100  # the second closing taken back
            assert VoucherType.objects.get(code="CC").next_number == 1_000_000_000
            assert BooksSettings.objects.get().lock_date == date(2025, 1, 31)  # stepped aside and came back
    finally:
        connection.set_schema_to_public()
        drop_schema(company.schema_name)
