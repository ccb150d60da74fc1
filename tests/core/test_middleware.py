"""Unusable input in the address or a form gets a clear 400, never a server error (all URLs)."""

import pytest
from django.urls import reverse

from tests.urls_under_test import app_urls

APP_URLS = app_urls()
# Every query parameter the views read, each holding a NUL.
NUL_QUERY = "?q=%00&cuenta=%00&padre=%00&page=%00&mes=%00&errores=%00&sort=%00&status=%00&name=%00"


@pytest.fixture
def owner_client(client, accountant, linked_company):
    client.force_login(accountant)
    return client


@pytest.mark.parametrize("app_url", APP_URLS, ids=lambda u: u.name)
def test_a_nul_in_the_query_string_is_a_clear_400(owner_client, linked_company, app_url):
    response = owner_client.get(app_url.url(linked_company) + NUL_QUERY)
    assert response.status_code == 400
    assert "No entendimos esta solicitud" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["?q=%00", "?q=a%00b", "?cuenta=%00", "?cuenta=11%00"],
)
def test_the_switcher_and_the_chart_of_accounts_refuse_a_nul(owner_client, linked_company, query):
    chart = reverse("books:account_list", kwargs={"company_slug": linked_company.slug})
    for url in (reverse("firms:company_switcher"), chart):
        assert owner_client.get(url + query).status_code == 400
        assert owner_client.get(url + query, headers={"HX-Request": "true"}).status_code == 400


def test_new_account_page_refuses_a_nul_parent(owner_client, linked_company):
    url = reverse("books:account_new", kwargs={"company_slug": linked_company.slug})
    assert owner_client.get(url + "?padre=%00").status_code == 400
    assert owner_client.get(url + "?padre=11").status_code == 200


def test_a_nul_in_a_form_field_or_the_path_is_a_clear_400(client):
    response = client.post(reverse("account_login"), {"login": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert client.get("/invitaciones/abc%00def/").status_code == 400


def test_ordinary_queries_still_work(owner_client, linked_company):
    assert owner_client.get(reverse("firms:company_switcher") + "?q=pan").status_code == 302
    chart = reverse("books:account_list", kwargs={"company_slug": linked_company.slug})
    assert owner_client.get(chart + "?q=caja&cuenta=11").status_code == 200


def test_an_outage_nothing_else_softened_is_a_clear_503_not_a_server_error(owner_client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(**kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("firms.views.switcher_companies", down)
    response = owner_client.get(reverse("firms:company_switcher") + "?q=pan")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "no está disponible por un momento" in response.content.decode()


ODD_VALUES = ["", "-1", "0", "99999999999999999999", "0001-01", "9999-12", "1-13", "x" * 5000, "ñ’😀", "%ZZ"]
PARAMETERS = ["q", "cuenta", "padre", "page", "mes", "errores", "sort", "status", "country", "desde", "hasta"]


@pytest.mark.parametrize("app_url", APP_URLS, ids=lambda u: u.name)
def test_odd_query_values_never_end_in_a_server_error(owner_client, linked_company, app_url):
    base = app_url.url(linked_company)
    for value in ODD_VALUES:
        query = "&".join(f"{name}={value}" for name in PARAMETERS)
        response = owner_client.get(f"{base}?{query}")
        assert response.status_code < 500, (base, value)
