from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from books.models import VoucherType
from books.services.catalogs import cost_center_create, third_party_create
from books.services.entries import LineInput, entry_save_and_post, entry_save_draft
from tests.factories import UserFactory


@pytest.fixture
def books(company_pena):
    """The tests run inside company_pena's schema (provisioned once per session)."""
    with schema_context(company_pena.schema_name):
        yield company_pena


@pytest.fixture
def bookkeeper(db):
    return UserFactory(full_name="Laura Contadora")


@pytest.fixture
def tercero(books):
    return third_party_create(
        document_type="nit",
        number="900.123.456-8",
        person_type="juridica",
        business_name="Cliente Uno S.A.S.",
    )


@pytest.fixture
def centro(books):
    return cost_center_create(code="ADM", name="Administración")


def lines(*rows, third_party=None, cost_center=None) -> list[LineInput]:
    """("110505", debit, credit), ... → LineInput list."""
    return [
        LineInput(
            account=code,
            debit=Decimal(str(debit)),
            credit=Decimal(str(credit)),
            third_party=third_party.pk if third_party else None,
            cost_center=cost_center.pk if cost_center else None,
        )
        for code, debit, credit in rows
    ]


def post(user, rows, *, day=date(2026, 3, 10), voucher="CC", **line_kwargs):
    return entry_save_and_post(
        voucher_type=VoucherType.objects.get(code=voucher),
        day=day,
        description="Prueba",
        lines=lines(*rows, **line_kwargs),
        user=user,
    )


def draft(user, rows, *, day=date(2026, 3, 10), voucher="CC", **line_kwargs):
    return entry_save_draft(
        voucher_type=VoucherType.objects.get(code=voucher),
        day=day,
        description="Borrador",
        lines=lines(*rows, **line_kwargs),
        user=user,
    )
