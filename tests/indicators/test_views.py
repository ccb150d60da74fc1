import csv
import io
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from firms.models import CompanyAccess
from indicators.models import Benefit, ObligationFiling, Resource, ResourceRead
from tests.factories import CompanyAccessFactory, CompanyFactory, valid_nit
from tests.queries import page_queries

CALENDAR = "/contador/calendario/"


def _items(response):
    return [(d.company.name, d.obligation.code, d.period, d.due_date) for d in response.context["page"]]


def test_workspace_calendar_lists_each_clients_due_dates_overdue_first(accountant_client, two_clients, today):
    pena, andes = two_clients
    items = _items(accountant_client.get(CALENDAR, {"dias": 30}))
    # Overdue (not filed): IVA Nov-Dec 2025, due in January; then March's IVA by NIT digit (4: 13th, 6: 17th).
    assert items == [
        (andes.name, "iva_bimestral", "2025-11/12", date(2026, 1, 16)),
        (pena.name, "iva_bimestral", "2025-11/12", date(2026, 1, 20)),
        (andes.name, "iva_bimestral", "2026-01/02", date(2026, 3, 13)),
        (pena.name, "iva_bimestral", "2026-01/02", date(2026, 3, 17)),
    ]
    body = accountant_client.get(CALENDAR, {"dias": 30}).content.decode()
    assert body.index("Vencidas") < body.index("13 de marzo")
    assert f"/c/{pena.slug}/calendario/" in body


def test_workspace_calendar_windows_and_filters(accountant_client, two_clients, today):
    pena, andes = two_clients
    assert len(_items(accountant_client.get(CALENDAR, {"dias": 90}))) > len(
        _items(accountant_client.get(CALENDAR, {"dias": 7}))
    )
    only_pena = _items(accountant_client.get(CALENDAR, {"dias": 90, "empresa": pena.slug}))
    assert only_pena and {name for name, *_ in only_pena} == {pena.name}
    only_iva = _items(accountant_client.get(CALENDAR, {"dias": 90, "obligacion": "iva_bimestral"}))
    assert {code for _, code, *_ in only_iva} == {"iva_bimestral"}


def test_marking_filed_removes_an_overdue_due_date(accountant_client, two_clients, today):
    pena, _andes = two_clients
    response = accountant_client.post(
        f"/c/{pena.slug}/calendario/presentada/",
        {"obligation": "iva_bimestral", "period": "2025-11/12", "filed": "on", "next": CALENDAR},
    )
    assert response.status_code == 302 and response.url == CALENDAR
    assert ObligationFiling.objects.filter(company=pena, period="2025-11/12").exists()
    assert (pena.name, "iva_bimestral", "2025-11/12", date(2026, 1, 20)) not in _items(
        accountant_client.get(CALENDAR)
    )


def test_exports_csv_and_xlsx(accountant_client, two_clients, today):
    rows = list(
        csv.reader(
            io.StringIO(
                accountant_client.get(f"{CALENDAR}exportar.csv", {"dias": 30}).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["Fecha límite", "Empresa", "NIT"]
    assert len(rows) == 5 and rows[3][0] == "2026-03-13"
    sheet = load_workbook(
        io.BytesIO(accountant_client.get(f"{CALENDAR}exportar.xlsx", {"dias": 30}).content)
    ).active
    assert sheet.max_row == 5 and sheet["B5"].value == two_clients[0].name
    # Real date cells: the spreadsheet sorts and filters them as dates.
    assert sheet["A4"].is_date and sheet["A4"].value.date() == date(2026, 3, 13)
    assert sheet["A4"].number_format == "DD/MM/YYYY"
    assert accountant_client.get(f"{CALENDAR}exportar.pdf").status_code == 404


def test_exports_write_formula_like_company_names_as_text(accountant_client, two_clients, today):
    pena, _andes = two_clients
    Company = type(pena)
    Company.objects.filter(pk=pena.pk).update(name='=HYPERLINK("http://x","Peña")')
    csv_text = accountant_client.get(f"{CALENDAR}exportar.csv", {"dias": 30}).content.decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(csv_text), delimiter=";")]
    assert '\'=HYPERLINK("http://x","Peña")' in names
    assert not any(name.startswith("=") for name in names)
    sheet = load_workbook(
        io.BytesIO(accountant_client.get(f"{CALENDAR}exportar.xlsx", {"dias": 30}).content)
    ).active
    cells = [sheet.cell(row=row, column=2) for row in range(2, sheet.max_row + 1)]
    hyperlink = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix


def test_private_ics_feed_parses_and_can_be_revoked(accountant_client, client, two_clients, today):
    response = accountant_client.post(f"{CALENDAR}suscripcion/", {"action": "renew"})
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/calendario/") and url.endswith(".ics")
    path = url.removeprefix("http://testserver")
    feed = client.get(path)  # no login: the token is the credential
    assert feed["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    starts = {(str(e["summary"]), e.decoded("dtstart")) for e in events}
    assert ("IVA bimestral: declaración y pago · Panadería Peña Hermanos S.A.S.", date(2026, 3, 17)) in starts
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(days=1) for e in events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    new_url = accountant_client.post(f"{CALENDAR}suscripcion/", {"action": "renew"}).context["feed_url"]
    assert client.get(path).status_code == 404  # the old address stopped working
    accountant_client.post(f"{CALENDAR}suscripcion/", {"action": "revoke"})
    assert client.get(new_url.removeprefix("http://testserver")).status_code == 404
    assert client.get("/calendario/inventado.ics").status_code == 404


def test_the_ics_feed_speaks_its_owners_language(accountant, accountant_client, client, two_clients, today):
    accountant.language = "en"
    accountant.save(update_fields=["language"])
    url = accountant_client.post(f"{CALENDAR}suscripcion/", {"action": "renew"}).context["feed_url"]
    feed = client.get(url.removeprefix("http://testserver"))  # a calendar app: no cookie, no session
    summaries = {str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert "VAT, bimonthly: return and payment · Panadería Peña Hermanos S.A.S." in summaries
    assert not any("IVA bimestral" in summary for summary in summaries)


def test_month_view(accountant_client, two_clients, today):
    body = accountant_client.get(f"{CALENDAR}mes/", {"mes": "2026-03"}).content.decode()
    assert "marzo 2026" in body.lower() and "IVA bimestral" in body
    assert accountant_client.get(f"{CALENDAR}mes/", {"mes": "no-es-mes"}).status_code == 200


def test_company_calendar_follows_the_iva_periodicity_of_the_company_data(
    accountant_client, linked_company, today
):
    url = f"/c/{linked_company.slug}/calendario/"
    assert "IVA bimestral" in accountant_client.get(url).content.decode()
    data = {
        "person_type": "juridica",
        "name": linked_company.name,
        "document_type": "nit",
        "sector": "C",
        "tax_responsibilities": ["05", "42", "48"],
        "iva_periodicity": "cuatrimestral",
    }
    accountant_client.post(f"/c/{linked_company.slug}/datos/", data)
    linked_company.refresh_from_db()
    assert linked_company.iva_periodicity == "cuatrimestral"
    body = accountant_client.get(url).content.decode()
    assert "IVA cuatrimestral" in body and "IVA bimestral: declaración" not in body


def test_calendar_menu_shows_for_colombian_workspaces_and_workspaces_with_colombian_companies(
    accountant_client, workspace, today
):
    workspace.country = "MX"
    workspace.save(update_fields=["country"])
    assert "Calendario tributario" not in accountant_client.get("/contador/").content.decode()
    CompanyAccessFactory(workspace=workspace, company=CompanyFactory(country="CO"))
    assert "Calendario tributario" in accountant_client.get("/contador/").content.decode()


def test_a_new_colombian_workspace_sees_the_calendar_with_an_empty_state(accountant_client, today):
    body = accountant_client.get("/contador/").content.decode()
    assert 'href="/contador/calendario/"' in body
    body = accountant_client.get(CALENDAR).content.decode()
    assert "Aquí aparecerán los vencimientos de tus clientes colombianos" in body


def test_calendar_of_a_workspace_without_colombian_companies_explains_it(accountant_client):
    assert "clientes colombianos" in accountant_client.get(CALENDAR).content.decode()


# Indicators and benefits -----------------------------------------------------------------------


def test_indicators_for_the_workspaces_countries_newest_first_with_unread_marks(accountant_client, workspace):
    old = Resource.objects.create(
        kind="news", title="Vieja", summary="s", countries=["CO"], published_on=date(2026, 1, 1)
    )
    new = Resource.objects.create(
        kind="guide", title="Nueva", summary="s", countries=[], published_on=date(2026, 2, 1)
    )
    Resource.objects.create(kind="news", title="De México", summary="s", countries=["MX"])
    response = accountant_client.get("/contador/indicadores/")
    assert [r.title for r in response.context["resources"]] == ["Nueva", "Vieja"]
    assert response.content.decode().count("Nuevo") >= 2
    accountant_client.get(f"/contador/indicadores/{old.pk}/")
    marks = {r.title: r.is_read for r in accountant_client.get("/contador/indicadores/").context["resources"]}
    assert marks == {"Nueva": False, "Vieja": True}
    only_guides = accountant_client.get("/contador/indicadores/", {"tipo": "guide"}).context["resources"]
    assert [r.pk for r in only_guides] == [new.pk]


def test_indicator_of_another_country_is_404(accountant_client):
    other = Resource.objects.create(kind="news", title="De México", summary="s", countries=["MX"])
    assert accountant_client.get(f"/contador/indicadores/{other.pk}/").status_code == 404


def test_an_indicator_with_a_link_opens_it(accountant_client):
    linked = Resource.objects.create(
        kind="webinar", title="W", summary="s", url="https://example.com/webinar"
    )
    response = accountant_client.get(f"/contador/indicadores/{linked.pk}/")
    assert response.status_code == 302 and response.url == "https://example.com/webinar"


@pytest.mark.parametrize(
    ("benefit", "shown"),
    [
        ({"countries": ["CO"], "plans": ["trial"]}, True),
        ({"countries": [], "plans": []}, True),
        ({"countries": ["MX"], "plans": []}, False),
        ({"countries": [], "plans": ["paid"]}, False),
        ({"countries": [], "plans": [], "valid_until": date(2020, 1, 1)}, False),
        ({"countries": [], "plans": [], "valid_from": date(2099, 1, 1)}, False),
    ],
)
def test_benefits_the_workspace_qualifies_for(accountant_client, benefit, shown):
    Benefit.objects.create(title="Descuento", partner="Socio", description="d", how_to_redeem="h", **benefit)
    assert ("Descuento" in accountant_client.get("/contador/beneficios/").content.decode()) == shown


def test_calendar_without_parameters_shows_and_uses_30_days(accountant_client, two_clients, today):
    response = accountant_client.get(CALENDAR)
    assert response.context["days"] == 30
    assert 'value="30" selected' in response.content.decode()


def _link_companies(workspace, count, start):
    for n in range(start, start + count):
        company = CompanyFactory(
            country="CO",
            tax_responsibilities=["05", "07", "48"],
            tax_id=str(930_000_000 + n),
            check_digit=valid_nit(930_000_000 + n)[1],
        )
        CompanyAccessFactory(workspace=workspace, company=company, status=CompanyAccess.Status.ACTIVE)


def test_tax_calendar_query_count_is_the_same_for_2_and_22_companies(accountant_client, workspace):
    _link_companies(workspace, 2, 0)
    small = page_queries(accountant_client, CALENDAR, {"dias": 90})
    _link_companies(workspace, 20, 2)
    response = accountant_client.get(CALENDAR, {"dias": 90})
    assert len({d.company.pk for d in response.context["page"]}) == 22
    assert page_queries(accountant_client, CALENDAR, {"dias": 90}) == small


def test_indicators_query_count_is_the_same_for_2_and_40_resources(accountant_client, accountant):
    def add(count, start):
        resources = Resource.objects.bulk_create(
            Resource(kind="news", title=f"R{n}", summary="s") for n in range(start, start + count)
        )
        ResourceRead.objects.bulk_create(ResourceRead(user=accountant, resource=r) for r in resources[::2])

    add(2, 0)
    small = page_queries(accountant_client, "/contador/indicadores/")
    add(38, 2)
    assert len(accountant_client.get("/contador/indicadores/").context["resources"]) == 40
    assert page_queries(accountant_client, "/contador/indicadores/") == small


# The company calendar and its data ----------------------------------------------------------------


def test_a_company_without_rut_responsibilities_says_so_and_links_to_its_data(
    accountant_client, workspace, linked_company, today
):
    type(linked_company).objects.filter(pk=linked_company.pk).update(tax_responsibilities=[])
    body = accountant_client.get(f"/c/{linked_company.slug}/calendario/").content.decode()
    assert "Las responsabilidades del RUT de esta empresa no están diligenciadas" in body
    assert f'href="/c/{linked_company.slug}/datos/"' in body
    workspace_body = accountant_client.get(CALENDAR).content.decode()
    assert "no tiene diligenciadas sus responsabilidades del RUT" in workspace_body
    assert f"/c/{linked_company.slug}/datos/" in workspace_body


def test_a_persona_naturals_calendar_shows_renta_personas_naturales(accountant_client, linked_company, today):
    type(linked_company).objects.filter(pk=linked_company.pk).update(
        person_type="natural", given_names="María", surnames="Peña", tax_responsibilities=["05"]
    )
    today["day"] = date(2026, 7, 1)
    body = accountant_client.get(f"/c/{linked_company.slug}/calendario/", {"dias": 90}).content.decode()
    # NIT 900123456: last two digits 56, pair 55-56, the 15th business day of September 2026.
    assert "Renta personas naturales" in body and "Renta personas jurídicas" not in body
    assert "21/09/2026" in body


def test_marking_as_filed_asks_first_and_the_filed_list_can_undo_it(accountant_client, linked_company, today):
    url = f"/c/{linked_company.slug}/calendario/"
    body = accountant_client.get(url).content.decode()
    assert 'data-confirm="¿Marcar “IVA bimestral: declaración y pago”, periodo' in body
    response = accountant_client.post(
        f"{url}presentada/",
        {"obligation": "iva_bimestral", "period": "2025-11/12", "filed": "on", "next": url},
        follow=True,
    )
    body = response.content.decode()
    assert "Marcada como presentada: IVA bimestral: declaración y pago, periodo 2025-11/12." in body
    filed = body.split("Obligaciones marcadas como presentadas")[1]
    assert "2025-11/12" in filed and "Desmarcar presentada" in filed
    accountant_client.post(f"{url}presentada/", {"obligation": "iva_bimestral", "period": "2025-11/12"})
    assert not ObligationFiling.objects.filter(company=linked_company).exists()
    assert "Aún no hay obligaciones de esta empresa marcadas" in accountant_client.get(url).content.decode()


# The DV calculator ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nit", "says"),
    [
        ("900.123.456", "El DV es <strong>8</strong>"),
        ("860002964", "El DV es <strong>4</strong>"),
        ("900.123.456-8", "es correcto"),
        ("900.123.456-7", "no es correcto: debe ser 8"),
        ("abc", "Escribe los dígitos del NIT"),
    ],
)
def test_the_dv_calculator_computes_and_checks_check_digits(accountant_client, nit, says):
    response = accountant_client.get("/contador/indicadores/calculadora-dv/", {"nit": nit})
    assert response.status_code == 200 and says in response.content.decode()


def test_the_dv_tool_indicator_opens_the_calculator(accountant_client):
    tool = Resource.objects.create(kind="tool", title="DV", summary="s", tool="nit_dv")
    response = accountant_client.get(f"/contador/indicadores/{tool.pk}/")
    assert response.status_code == 302 and response.url == "/contador/indicadores/calculadora-dv/"


def test_the_demo_indicators_are_real_entries(accountant_client, db):
    from indicators.demo import seed_resources

    seed_resources()
    seed_resources()  # idempotent
    resources = Resource.objects.filter(countries=["CO"])
    assert resources.count() == 4
    for resource in resources:
        assert resource.title and resource.summary and resource.published_on
        assert resource.url or resource.tool or len(resource.body) > 400, resource.title
    guide = resources.get(kind="guide")
    body = accountant_client.get(f"/contador/indicadores/{guide.pk}/").content.decode()
    assert "formulario 300" in body and "92.000 UVT" in body
