"""List pages run the same number of queries whatever the number of rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulk_import.services import import_preview
from firms.models import CompanyAccess
from indicators.models import Resource
from tests.bulk_import.files import csv_bytes
from tests.factories import CompanyAccessFactory, CompanyFactory, WorkspaceFactory, valid_nit


def _queries(client, url, params=None):
    client.get(url, params or {})  # the first visit may write the session (recent companies)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def _link_companies(workspace, count, start):
    for n in range(start, start + count):
        company = CompanyFactory(
            country="CO",
            tax_responsibilities=["05", "07", "48"],
            tax_id=str(930_000_000 + n),
            check_digit=valid_nit(930_000_000 + n)[1],
        )
        CompanyAccessFactory(workspace=workspace, company=company)


def test_tax_calendar_page(accountant_client, workspace):
    _link_companies(workspace, 2, 0)
    small = _queries(accountant_client, "/contador/calendario/", {"dias": 90})
    _link_companies(workspace, 20, 2)
    assert _queries(accountant_client, "/contador/calendario/", {"dias": 90}) == small


def test_import_job_page(accountant_client, workspace, accountant):
    def job(rows):
        data = csv_bytes(
            [[f"E {n}", f"{940_000_000 + n}-{valid_nit(940_000_000 + n)[1]}", "", ""] for n in range(rows)]
        )
        return import_preview(workspace=workspace, user=accountant, file_name="a.csv", data=data)

    small = _queries(accountant_client, f"/contador/clientes/importar/{job(3).pk}/")
    assert _queries(accountant_client, f"/contador/clientes/importar/{job(60).pk}/") == small


def test_accountants_with_access_page(client, client_member, company_andes):
    client.force_login(client_member)
    url = f"/c/{company_andes.slug}/contadores/"
    CompanyAccessFactory(company=company_andes)
    small = _queries(client, url)
    for _ in range(5):
        CompanyAccessFactory(company=company_andes, workspace=WorkspaceFactory())
    assert CompanyAccess.objects.filter(company=company_andes).count() == 6
    assert _queries(client, url) == small


@pytest.mark.parametrize("count", [2, 12])
def test_indicators_page(accountant_client, count, django_assert_num_queries):
    Resource.objects.bulk_create(Resource(kind="news", title=f"R{n}", summary="s") for n in range(count))
    with django_assert_num_queries(_queries(accountant_client, "/contador/indicadores/")):
        accountant_client.get("/contador/indicadores/")
