import pytest
from django_tenants.utils import schema_context

from books.models import Account
from books.puc import puc_rows
from books.services.chart import AccountError, account_create


def test_colombian_company_is_seeded_with_the_whole_puc(company_pena):
    with schema_context(company_pena.schema_name):
        assert Account.objects.count() == len(puc_rows()) == 2471
        assert Account.objects.filter(level="clase").count() == 9
        assert Account.objects.get(code="110505").parent_id == "1105"
        # The cleaned PUC: no people's names under 1305 and 2205, no range placeholders.
        assert list(
            Account.objects.filter(code__startswith="1305", level="subcuenta").values_list("code", "name")
        ) == [
            ("130505", "NACIONALES"),
            ("130510", "DEL EXTERIOR"),
            ("130515", "DEUDORES DEL SISTEMA"),
        ]
        assert not Account.objects.filter(code__in=["220501", "252501", "527001", "622001"]).exists()


def test_each_account_has_its_puc_nature(company_pena):
    with schema_context(company_pena.schema_name):
        natures = dict(
            Account.objects.filter(
                code__in=["1105", "159205", "2408", "4175", "360505", "361005", "84"]
            ).values_list("code", "nature")
        )
    assert natures == {
        "1105": "D",
        "159205": "C",
        "2408": "C",
        "4175": "D",
        "360505": "C",
        "361005": "D",
        "84": "C",
    }


def test_non_colombian_company_starts_with_an_empty_chart(company_mx):
    with schema_context(company_mx.schema_name):
        assert not Account.objects.exists()


def test_chart_page_lists_the_classes(accountant_client, linked_company):
    response = accountant_client.get(f"/c/{linked_company.slug}/cuentas/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ACTIVO" in body and "CUENTAS DE ORDEN ACREEDORAS" in body


def test_chart_page_browses_into_a_group(accountant_client, linked_company):
    body = accountant_client.get(f"/c/{linked_company.slug}/cuentas/?cuenta=11").content.decode()
    assert "1105" in body and "CAJA" in body
    assert "INVERSIONES" not in body.split("</nav>", 2)[-1]  # group 12 is not a child of 11


def test_chart_search_by_code_prefix(accountant_client, linked_company):
    body = accountant_client.get(f"/c/{linked_company.slug}/cuentas/?q=1105").content.decode()
    assert "110505" in body and "110510" in body
    assert "120505" not in body


def test_chart_search_by_name_ignores_accents_and_case(accountant_client, linked_company):
    body = accountant_client.get(f"/c/{linked_company.slug}/cuentas/?q=GRAVAMENES").content.decode()
    assert "IMPUESTOS, GRAVAMENES Y TASAS" in body
    body = accountant_client.get(f"/c/{linked_company.slug}/cuentas/?q=gravámenes").content.decode()
    assert "IMPUESTOS, GRAVAMENES Y TASAS" in body


def test_chart_page_of_a_non_colombian_company_explains_it_is_empty(
    client, workspace, accountant, company_mx
):
    from tests.factories import CompanyAccessFactory

    CompanyAccessFactory(workspace=workspace, company=company_mx)
    client.force_login(accountant)
    response = client.get(f"/c/{company_mx.slug}/cuentas/")
    assert response.status_code == 200
    assert "PUC" in response.content.decode()


def test_account_create_adds_an_auxiliary_under_a_subaccount(linked_company):
    with schema_context(linked_company.schema_name):
        parent = Account.objects.get(code="110505")
        account = account_create(parent=parent, code="11050501", name="Caja menor sede norte")
        assert account.level == "auxiliar" and account.is_custom


@pytest.mark.parametrize(
    ("parent_code", "code", "message"),
    [
        ("11", "1199", "not under a class or group"),
        ("1105", "2205", "must start with"),
        ("1105", "110505", "already exists"),
        ("1105", "11052", "followed by two digits"),
        ("110505", "1105051", "followed by two digits"),
        ("110505", "1105050101", "followed by two digits"),
    ],
)
def test_account_create_refuses_bad_codes(linked_company, parent_code, code, message):
    from django.utils import translation

    with translation.override("en"), schema_context(linked_company.schema_name):
        with pytest.raises(AccountError, match=message):
            account_create(parent=Account.objects.get(code=parent_code), code=code, name="X")


def test_account_new_page_adds_the_account(accountant_client, linked_company):
    url = f"/c/{linked_company.slug}/cuentas/nueva/?padre=110505"
    response = accountant_client.post(url, {"code": "11050599", "name": "Caja de pruebas"})
    assert response.status_code == 302
    with schema_context(linked_company.schema_name):
        assert Account.objects.filter(code="11050599", name="Caja de pruebas").exists()


def test_account_new_page_shows_the_rule_error_in_spanish(accountant_client, linked_company):
    response = accountant_client.post(
        f"/c/{linked_company.slug}/cuentas/nueva/?padre=110505", {"code": "2205", "name": "X"}
    )
    assert response.status_code == 200
    assert "El código debe empezar por 110505" in response.content.decode()
