"""Companies seeded with the old PUC get the cleaned one through the migrations (0003, 0004)."""

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from books.models import Account
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
