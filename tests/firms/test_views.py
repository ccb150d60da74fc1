import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from firms.models import Company, CompanyAccess
from tests.factories import (
    CompanyAccessFactory,
    CompanyFactory,
    CompanyMemberFactory,
    LinkRequestFactory,
    valid_nit,
)
from tests.schemas import drop_schema


def _link(workspace, name, status="active", country="CO", **kwargs):
    if status == "pending":  # a link request: the name and NIT the accountant typed, no company
        return LinkRequestFactory(workspace=workspace, name=name, country=country, **kwargs)
    return CompanyAccessFactory(
        workspace=workspace, status=status, company=CompanyFactory(name=name, country=country, **kwargs)
    ).company


def _names(response):
    return [access.name for access in response.context["page"]]


def test_empty_workspace_says_what_to_do_next(accountant_client):
    body = accountant_client.get("/contador/").content.decode()
    assert "Aún no tienes empresas vinculadas" in body


def test_list_shows_name_formatted_tax_id_country_and_statuses(accountant_client, workspace):
    _link(workspace, "Ferretería Núñez S.A.S.", tax_id="901234567", check_digit="7", status="pending")
    body = accountant_client.get("/contador/").content.decode()
    assert "Ferretería Núñez S.A.S." in body
    assert "901.234.567-7" in body
    assert "Colombia" in body and "Solicitud enviada" in body


@pytest.mark.parametrize("query", ["pena", "PEÑA", "Pena Herm", "peña"])
def test_filter_by_name_ignores_accents_and_case(accountant_client, workspace, query):
    _link(workspace, "Panadería Peña Hermanos")
    _link(workspace, "Distribuidora Andina")
    assert _names(accountant_client.get("/contador/", {"q": query})) == ["Panadería Peña Hermanos"]


@pytest.mark.parametrize("query", ["901.234", "901234567-7", "2345677", "34 56"])
def test_filter_by_partial_tax_id(accountant_client, workspace, query):
    _link(workspace, "Con NIT buscado", tax_id="901234567", check_digit="7")
    _link(workspace, "Otra", tax_id="800200300", check_digit=valid_nit(800200300)[1])
    assert _names(accountant_client.get("/contador/", {"q": query})) == ["Con NIT buscado"]


def test_filter_by_link_status_country_and_provisioning(accountant_client, workspace):
    _link(workspace, "Activa")
    _link(workspace, "Pendiente", status="pending")
    _link(workspace, "Mexicana", country="MX", tax_id="XYZ010101AB1", check_digit="")
    assert _names(accountant_client.get("/contador/", {"status": "pending"})) == ["Pendiente"]
    assert _names(accountant_client.get("/contador/", {"country": "MX"})) == ["Mexicana"]
    Company.objects.filter(name="Activa").update(provisioning_status="ready")
    assert _names(accountant_client.get("/contador/", {"provisioning": "ready"})) == ["Activa"]


def test_filters_that_match_nothing_offer_to_clear_them(accountant_client, workspace):
    _link(workspace, "Activa")
    body = accountant_client.get("/contador/", {"q": "zzz"}).content.decode()
    assert "Ninguna empresa coincide" in body and "Limpiar filtros" in body


def test_sort_by_name_both_ways(accountant_client, workspace):
    for name in ["Beta", "Alfa", "Gamma"]:
        _link(workspace, name)
    assert _names(accountant_client.get("/contador/")) == ["Alfa", "Beta", "Gamma"]
    assert _names(accountant_client.get("/contador/", {"sort": "-name"})) == ["Gamma", "Beta", "Alfa"]


def test_pagination_keeps_the_filters(accountant_client, workspace, settings):
    settings.WORKSPACE_PAGE_SIZE = 2
    for n in range(5):
        _link(workspace, f"Empresa Peña {n}")
    response = accountant_client.get("/contador/", {"q": "pena", "page": 3})
    assert _names(response) == ["Empresa Peña 4"]
    assert "q=pena" in response.content.decode()


def test_htmx_filter_returns_only_the_table(accountant_client, workspace):
    _link(workspace, "Activa")
    response = accountant_client.get("/contador/", {"q": "act"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "Activa" in response.content.decode()


def _bulk_link(workspace, count, start):
    companies = []
    for n in range(count):
        tax_id, dv = valid_nit(600_000_000 + start + n)
        company = Company(name=f"Empresa {start + n}", country="CO", tax_id=tax_id, check_digit=dv)
        company.fill_derived_fields()
        companies.append(company)
    Company.objects.bulk_create(companies)
    CompanyAccess.objects.bulk_create(
        [CompanyAccess(workspace=workspace, company=c, status="active") for c in companies]
    )


@pytest.mark.parametrize("params", [{}, {"q": "empresa 1"}, {"status": "active", "sort": "-linked"}])
def test_list_query_count_is_the_same_for_10_and_1000_companies(accountant_client, workspace, params):
    _bulk_link(workspace, 10, 0)
    with CaptureQueriesContext(connection) as small:
        assert accountant_client.get("/contador/", params).status_code == 200
    _bulk_link(workspace, 990, 10)
    with CaptureQueriesContext(connection) as large:
        response = accountant_client.get("/contador/", params)
    assert response.context["page"].paginator.count > 10
    assert len(large) == len(small)


def test_list_counts_companies_in_colombian_number_format(accountant_client, workspace):
    _bulk_link(workspace, 1200, 0)
    assert "1.200 empresas" in accountant_client.get("/contador/").content.decode()


def test_switcher_lists_recent_companies_first(accountant_client, workspace, linked_company):
    _link(workspace, "Aaa Primera Alfabéticamente")
    accountant_client.get(linked_company.get_absolute_url())  # now the most recent
    response = accountant_client.get("/contador/cambiar-empresa/", headers={"HX-Request": "true"})
    assert [c.name for c in response.context["companies"]][:2] == [
        linked_company.name,
        "Aaa Primera Alfabéticamente",
    ]


def test_switcher_search_finds_only_enterable_companies(accountant_client, workspace):
    _link(workspace, "Peña Activa")
    _link(workspace, "Peña Pendiente", status="pending")
    response = accountant_client.get(
        "/contador/cambiar-empresa/", {"q": "pena"}, headers={"HX-Request": "true"}
    )
    assert [c.name for c in response.context["companies"]] == ["Peña Activa"]


def test_switcher_without_javascript_enters_the_first_match(accountant_client, workspace):
    company = _link(workspace, "Peña Activa")
    response = accountant_client.get("/contador/cambiar-empresa/", {"q": "pena"})
    assert response.status_code == 302 and response.url == company.get_absolute_url()


def test_switcher_without_a_match_goes_back_with_a_message(accountant_client, workspace):
    response = accountant_client.get("/contador/cambiar-empresa/", {"q": "nada"}, follow=True)
    assert "Ninguna empresa coincide" in response.content.decode()


def test_client_without_workspace_sees_their_companies(client, client_member, company_andes):
    client.force_login(client_member)
    body = client.get("/contador/").content.decode()
    assert company_andes.name in body


def test_company_switcher_includes_member_companies(client, db):
    member = CompanyMemberFactory()
    client.force_login(member.user)
    response = client.get("/contador/cambiar-empresa/", headers={"HX-Request": "true"})
    assert [c.pk for c in response.context["companies"]] == [member.company_id]


def test_entering_a_pending_company_provisions_it_on_the_spot(accountant_client, workspace):
    company = _link(workspace, "Recién Llegada S.A.S.")
    assert company.provisioning_status == "pending"
    try:
        response = accountant_client.get(company.get_absolute_url())
        assert response.status_code == 200
        company.refresh_from_db()
        assert company.provisioning_status == "ready"
        assert accountant_client.get(f"/c/{company.slug}/cuentas/").status_code == 200
    finally:
        drop_schema(company.schema_name)
