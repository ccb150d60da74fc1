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
    assert _names(accountant_client.get("/contador/", {"orden": "-name"})) == ["Gamma", "Beta", "Alfa"]


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


@pytest.mark.parametrize("params", [{}, {"q": "empresa 1"}, {"status": "active", "orden": "-linked"}])
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


# Search: every word anywhere, punctuation ignored ---------------------------------------------------


@pytest.mark.parametrize(
    "query", ["cafetal bucaramanga", "Bucaramanga, Cafetal", "SAS cafetal", "s.a.s. café"]
)
def test_search_matches_every_word_anywhere_and_ignores_punctuation(accountant_client, workspace, query):
    _link(workspace, "Café El Cafetal de Bucaramanga S.A.S.")
    _link(workspace, "Cafetal de Pereira Ltda.")
    assert _names(accountant_client.get("/contador/", {"q": query})) == [
        "Café El Cafetal de Bucaramanga S.A.S."
    ]


def test_search_finds_requests_by_the_name_the_accountant_typed(accountant_client, workspace):
    _link(workspace, "Ferretería Núñez & Cía.", status="pending")
    assert _names(accountant_client.get("/contador/", {"q": "nunez cia"})) == ["Ferretería Núñez & Cía."]


def test_switcher_matches_every_word_and_ignores_punctuation(accountant_client, workspace):
    _link(workspace, "Café El Cafetal de Bucaramanga S.A.S.")
    response = accountant_client.get(
        "/contador/cambiar-empresa/", {"q": "sas bucaramanga"}, headers={"HX-Request": "true"}
    )
    assert [c.name for c in response.context["companies"]] == ["Café El Cafetal de Bucaramanga S.A.S."]


# The list: statuses with their dates -------------------------------------------------------------


def test_declined_and_revoked_rows_show_their_status_and_date_not_linked_on_or_books(
    accountant_client, workspace
):
    LinkRequestFactory(workspace=workspace, name="Rechazó S.A.S.", status="declined", decline_reason="No")
    company = _link(workspace, "Revocó Ltda.", status="revoked", provisioning_status="ready")
    body = accountant_client.get("/contador/").content.decode()
    for name, status in (("Rechazó S.A.S.", "Rechazado"), ("Revocó Ltda.", "Revocado")):
        row = next(r for r in body.split("<tr>") if name in r).split("</tr>")[0]
        assert status in row and "el " in row
        assert "Listos" not in row and "En espera" not in row  # the books' state is for active links only
        assert "Ingresar" not in row
    assert company.get_absolute_url() not in body
    assert "Vinculada el" not in body


# Datos de la empresa --------------------------------------------------------------------------------


def _profile(company, **changes):
    data = {
        "person_type": company.person_type,
        "name": company.name,
        "given_names": "",
        "surnames": "",
        "document_type": company.document_type,
        "sector": company.sector,
        "ciiu_division": "",
        "tax_responsibilities": company.tax_responsibilities,
        "iva_periodicity": company.iva_periodicity,
        "phone": company.phone,
        "email": company.email,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_accountant_completes_the_data_of_an_imported_company(
    accountant_client, workspace, linked_company
):
    url = f"/c/{linked_company.slug}/datos/"
    response = accountant_client.post(
        url,
        _profile(
            linked_company,
            name="Panadería Peña Hermanos S.A.S. (Bogotá)",
            sector="C",
            ciiu_division="10",
            tax_responsibilities=["05", "07", "48"],
            iva_periodicity="cuatrimestral",
            phone="+57 601 555 0101",
            email="contabilidad@pena.co",
        ),
    )
    assert response.status_code == 302
    linked_company.refresh_from_db()
    assert linked_company.ciiu_division == "10" and linked_company.tax_responsibilities == ["05", "07", "48"]
    assert (
        linked_company.iva_periodicity == "cuatrimestral" and linked_company.email == "contabilidad@pena.co"
    )
    access = CompanyAccess.objects.get(workspace=workspace, company=linked_company)
    assert access.name == "Panadería Peña Hermanos S.A.S. (Bogotá)"  # the list shows the new name at once
    assert _names(accountant_client.get("/contador/", {"q": "bogota pena"})) == [access.name]


def test_the_clients_owner_edits_the_company_data_too(client, client_member, company_andes):
    client.force_login(client_member)
    response = client.post(
        f"/c/{company_andes.slug}/datos/", _profile(company_andes, phone="+57 604 444 1234")
    )
    assert response.status_code == 302
    company_andes.refresh_from_db()
    assert company_andes.phone == "+57 604 444 1234"


def test_a_division_outside_the_sector_is_refused_in_spanish(accountant_client, linked_company):
    response = accountant_client.post(
        f"/c/{linked_company.slug}/datos/", _profile(linked_company, sector="C", ciiu_division="47")
    )
    assert (
        response.status_code == 200 and "Elige una división del sector elegido" in response.content.decode()
    )


def test_a_persona_natural_is_named_by_names_and_surnames_and_may_use_a_cedula(
    accountant_client, workspace, linked_company
):
    response = accountant_client.post(
        f"/c/{linked_company.slug}/datos/",
        _profile(
            linked_company,
            person_type="natural",
            name="",
            given_names="María Fernanda",
            surnames="Peña Rodríguez",
            document_type="cc",
        ),
    )
    assert response.status_code == 302
    linked_company.refresh_from_db()
    assert linked_company.name == "María Fernanda Peña Rodríguez" and linked_company.check_digit == ""
    assert linked_company.formatted_tax_id == "CC 900.123.456"
    accountant_client.post(
        f"/c/{linked_company.slug}/datos/",
        _profile(
            linked_company, given_names="María Fernanda", surnames="Peña Rodríguez", document_type="nit"
        ),
    )
    linked_company.refresh_from_db()
    assert linked_company.check_digit == "8"  # by NIT: the DV follows from the number
    assert CompanyAccess.objects.get(company=linked_company).formatted_tax_id == "900.123.456-8"


def test_a_persona_natural_needs_names(accountant_client, linked_company):
    response = accountant_client.post(
        f"/c/{linked_company.slug}/datos/", _profile(linked_company, person_type="natural", name="")
    )
    assert response.status_code == 200 and "Obligatorio para una persona natural" in response.content.decode()


def test_colombian_fields_show_only_for_colombian_companies(client, company_mx, db):
    member = CompanyMemberFactory(company=company_mx)
    client.force_login(member.user)
    body = client.get(f"/c/{company_mx.slug}/datos/").content.decode()
    assert "Responsabilidades del RUT" not in body and "Periodicidad del IVA" not in body
    assert "Tipo de persona" not in body and "Sector (sección CIIU)" in body
    response = client.post(
        f"/c/{company_mx.slug}/datos/",
        {"name": company_mx.name, "sector": "G", "ciiu_division": "46", "tax_responsibilities": ["48"]},
    )
    assert response.status_code == 302
    company_mx.refresh_from_db()
    assert company_mx.tax_responsibilities == [] and company_mx.ciiu_division == "46"


def test_the_company_home_links_to_its_data_and_says_what_is_missing(accountant_client, workspace):
    company = _link(workspace, "Importada S.A.S.", tax_responsibilities=[])
    try:
        body = accountant_client.get(company.get_absolute_url()).content.decode()
        assert f"/c/{company.slug}/datos/" in body and "Sin diligenciar" in body
    finally:
        drop_schema(company.schema_name)


# Notices ----------------------------------------------------------------------------------------------


def test_notices_page_shows_the_answers_and_marks_them_read(accountant_client, accountant, workspace):
    from firms.models import Notice

    access = LinkRequestFactory(workspace=workspace, name="Andes", status="declined")
    Notice.objects.create(
        user=accountant,
        workspace=workspace,
        access=access,
        kind="declined",
        company_name="Andes",
        detail="No",
    )
    body = accountant_client.get("/contador/").content.decode()
    assert 'class="notices-count">1' in body
    page = accountant_client.get("/contador/avisos/").content.decode()
    assert "Andes rechazó tu solicitud." in page and "“No”" in page
    assert 'class="notices-count"' not in accountant_client.get("/contador/").content.decode()


def test_notices_are_each_accountants_own(client, outsider, accountant, workspace):
    from firms.models import Notice

    Notice.objects.create(user=accountant, workspace=workspace, kind="revoked", company_name="Secreta S.A.S.")
    client.force_login(outsider)
    assert "Secreta" not in client.get("/contador/avisos/").content.decode()


# Error pages ----------------------------------------------------------------------------------------


def test_404_is_a_spanish_page_with_the_product_look(accountant_client):
    response = accountant_client.get("/no-existe/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "no existe" in body and "css/app.css" in body and "Ir a mi Espacio Contador" in body


def test_403_400_and_500_pages_are_spanish_with_the_product_look(client, db):
    from django.template.loader import render_to_string

    for name, text in (("403.html", "No puedes hacer esto"), ("400.html", "No entendimos esta solicitud")):
        body = render_to_string(name)
        assert text in body and "css/app.css" in body
    body = render_to_string("500.html")  # rendered without the request: no database, no menu
    assert "Algo salió mal" in body and "css/app.css" in body and "Es culpa nuestra" in body


def test_notices_page_query_count_is_the_same_for_2_and_30_notices(accountant_client, accountant, workspace):
    from firms.models import Notice
    from tests.queries import page_queries

    def add(count):
        for _ in range(count):
            access = CompanyAccessFactory(workspace=workspace)
            Notice.objects.create(
                user=accountant, workspace=workspace, access=access, kind="accepted", company_name=access.name
            )

    add(2)
    small = page_queries(accountant_client, "/contador/avisos/")
    add(28)
    assert len(accountant_client.get("/contador/avisos/").context["page"]) == 30
    assert page_queries(accountant_client, "/contador/avisos/") == small


@pytest.mark.parametrize("phone", ["+1+1", "12345"])
def test_the_company_data_refuses_a_phone_that_is_not_a_number(accountant_client, linked_company, phone):
    response = accountant_client.post(
        f"/c/{linked_company.slug}/datos/", _profile(linked_company, phone=phone)
    )
    assert response.status_code == 200
    assert f"“{phone}” no es un número de teléfono válido" in response.content.decode()
    assert response.context["form"].errors["phone"]
    linked_company.refresh_from_db()
    assert linked_company.phone != phone
