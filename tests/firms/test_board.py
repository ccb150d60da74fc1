"""The portfolio board (tablero de clientes), read from the snapshot rows: alerts, sorting, filters, export
and a query count that does not grow with the number of companies."""

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from firms.models import CompanyAssignment, CompanySnapshot, WorkspaceMember
from tests.factories import CompanyAccessFactory, CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.queries import page_queries

D = Decimal


def _company(workspace, name, *, responsible=None, snapshot=True, **figures):
    access = CompanyAccessFactory(
        workspace=workspace, status="active", company=CompanyFactory(name=name, provisioning_status="ready")
    )
    if snapshot:
        CompanySnapshot.objects.create(company=access.company, refreshed_at=timezone.now(), **figures)
    if responsible is not None:
        CompanyAssignment.objects.create(access=access, member=responsible, is_responsible=True)
    return access


def _names(response):
    return [access.name for access in response.context["page"]]


@pytest.fixture
def team(workspace):
    return {
        name: WorkspaceMemberFactory(workspace=workspace, user=UserFactory(full_name=name), role="accountant")
        for name in ("Ana Ruiz", "Bruno Díaz")
    }


# Alerts -------------------------------------------------------------------------------------------------


def test_alerts_negative_bank_old_draft_and_due_date_within_five_days(accountant_client, workspace):
    today, now = timezone.localdate(), timezone.now()
    _company(workspace, "Banco negativo", banks=D("-10"), against_nature="111005", against_nature_count=1)
    _company(workspace, "Borrador viejo", drafts=1, oldest_draft_at=now - timedelta(days=31))
    _company(workspace, "Borrador reciente", drafts=1, oldest_draft_at=now - timedelta(days=29))
    _company(
        workspace, "Vence en 5 días", next_due_date=today + timedelta(days=5), next_due_obligation="Retención"
    )
    _company(workspace, "Vence en 6 días", next_due_date=today + timedelta(days=6))
    _company(workspace, "Vencida", next_due_date=today - timedelta(days=2))
    response = accountant_client.get("/contador/", {"orden": "name"})
    flags = {
        a.name: (a.alert_nature, a.alert_drafts, a.alert_due, a.alert_count) for a in response.context["page"]
    }
    assert flags == {
        "Banco negativo": (True, False, False, 1),
        "Borrador reciente": (False, False, False, 0),
        "Borrador viejo": (False, True, False, 1),
        "Vence en 5 días": (False, False, True, 1),
        "Vence en 6 días": (False, False, False, 0),
        "Vencida": (False, False, True, 1),
    }
    body = response.content.decode()
    assert "Contra su naturaleza: 111005" in body and "Borradores viejos" in body
    assert "Vence pronto" in body and "Vencida" in body


def test_default_order_is_needs_attention_first_then_the_next_due_date(accountant_client, workspace):
    today, old = timezone.localdate(), timezone.now() - timedelta(days=40)
    _company(workspace, "Tranquila A")
    _company(workspace, "Una alerta", against_nature_count=1, next_due_date=today + timedelta(days=20))
    _company(workspace, "Dos alertas", against_nature_count=1, drafts=1, oldest_draft_at=old)
    _company(workspace, "Vence primero", next_due_date=today + timedelta(days=10))
    _company(workspace, "Sin datos", snapshot=False)
    assert _names(accountant_client.get("/contador/")) == [
        "Dos alertas",
        "Una alerta",
        "Vence primero",
        "Sin datos",
        "Tranquila A",
    ]


# Sorting and filters -------------------------------------------------------------------------------------


def test_sort_by_figures_both_ways_with_empty_values_last(accountant_client, workspace, team):
    _company(workspace, "Media", banks=D("500"), responsible=team["Bruno Díaz"])
    _company(workspace, "Alta", banks=D("9000.50"), responsible=team["Ana Ruiz"])
    _company(workspace, "Baja", banks=D("-20"))
    assert _names(accountant_client.get("/contador/", {"orden": "banks"})) == ["Baja", "Media", "Alta"]
    assert _names(accountant_client.get("/contador/", {"orden": "-banks"})) == ["Alta", "Media", "Baja"]
    assert _names(accountant_client.get("/contador/", {"orden": "responsible"})) == ["Alta", "Media", "Baja"]
    assert _names(accountant_client.get("/contador/", {"orden": "-responsible"})) == ["Media", "Alta", "Baja"]


@pytest.mark.parametrize(
    "orden",
    [
        "drafts",
        "-last_entry",
        "locked",
        "receivables",
        "-payables",
        "taxes",
        "-result",
        "due",
        "-alerts",
        "refreshed",
        "invitation",
    ],
)
def test_every_sortable_column_sorts(accountant_client, workspace, orden):
    _company(workspace, "Una", banks=D("1"))
    _company(workspace, "Dos", snapshot=False)
    response = accountant_client.get("/contador/", {"orden": orden})
    assert response.status_code == 200 and response.context["filters"].sort == orden


@pytest.mark.parametrize("orden", ["banks; DROP TABLE x", "-", "--name", "company__name", "?", "a" * 300])
def test_odd_sort_values_fall_back_to_the_default_and_keep_the_filters(accountant_client, workspace, orden):
    _company(workspace, "Peña", banks=D("1"))
    _company(workspace, "Otra")
    response = accountant_client.get("/contador/", {"orden": orden, "q": "pena"})
    assert response.status_code == 200
    assert _names(response) == ["Peña"] and response.context["filters"].sort == "attention"


def test_filter_by_responsable_and_by_alert(accountant_client, workspace, team):
    ana, bruno = team["Ana Ruiz"], team["Bruno Díaz"]
    _company(workspace, "De Ana", responsible=ana, against_nature_count=2)
    _company(workspace, "De Bruno", responsible=bruno, next_due_date=timezone.localdate())
    _company(workspace, "De nadie")
    get = accountant_client.get
    assert _names(get("/contador/", {"responsable": ana.pk})) == ["De Ana"]
    assert _names(get("/contador/", {"responsable": "none"})) == ["De nadie"]
    assert _names(get("/contador/", {"alerta": "nature"})) == ["De Ana"]
    assert _names(get("/contador/", {"alerta": "due"})) == ["De Bruno"]
    assert _names(get("/contador/", {"alerta": "any", "orden": "name"})) == ["De Ana", "De Bruno"]
    assert _names(get("/contador/", {"alerta": "drafts"})) == []
    body = get("/contador/").content.decode()
    assert "Ana Ruiz" in body and "Bruno Díaz" in body
    other = WorkspaceMemberFactory()  # not a choice here: the filter is ignored
    assert len(_names(get("/contador/", {"responsable": other.pk}))) == 3


def test_rows_say_when_they_were_refreshed_and_show_the_figures(accountant_client, workspace):
    _company(
        workspace,
        "Con cifras",
        banks=D("1234567.89"),
        payables=D("10"),
        result=D("-5"),
        result_year=2026,
        last_entry_date=timezone.localdate(),
        last_entry_label="CC-7",
        last_entry_by="Laura",
    )
    CompanySnapshot.objects.update(refreshed_at=timezone.now() - timedelta(hours=3))
    body = accountant_client.get("/contador/").content.decode()
    assert "Actualizado hace 3\xa0horas" in body
    assert "1.234.567,89" in body and "CC-7 · Laura" in body


def test_board_query_count_is_the_same_for_2_and_20_companies(accountant_client, workspace, team):
    members = list(WorkspaceMember.objects.filter(workspace=workspace))

    def add(count, start):
        for n in range(start, start + count):
            _company(
                workspace,
                f"Empresa {n}",
                responsible=members[n % len(members)],
                banks=D(n),
                next_due_date=timezone.localdate() + timedelta(days=n),
            )

    add(2, 0)
    params = {"orden": "-banks", "alerta": "", "responsable": ""}
    small = (
        page_queries(accountant_client, "/contador/", params),
        page_queries(accountant_client, "/contador/"),
    )
    add(18, 2)
    large = (
        page_queries(accountant_client, "/contador/", params),
        page_queries(accountant_client, "/contador/"),
    )
    assert large == small


# Export -------------------------------------------------------------------------------------------------


def test_csv_export_is_the_filtered_sorted_board_with_formulas_as_text(accountant_client, workspace):
    _company(workspace, '=HYPERLINK("http://x")', banks=D("1500.5"), against_nature_count=1)
    _company(workspace, "Segunda", banks=D("20"))
    _company(workspace, "Fuera del filtro")
    response = accountant_client.get("/contador/tablero.csv", {"orden": "-banks", "q": "n"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Empresa" and "Bancos" in rows[0] and "Próximo vencimiento DIAN" in rows[0]
    banks = rows[0].index("Bancos")
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://x")', "Segunda"]
    assert [row[banks] for row in rows[1:]] == ["1500,50", "20,00"]


def test_xlsx_export_writes_figures_as_numbers_and_formulas_as_text(accountant_client, workspace):
    _company(workspace, "=1+1", banks=D("42.10"))
    response = accountant_client.get("/contador/tablero.xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert 's="4" t="inlineStr"><is><t>=1+1</t>' in sheet  # quote prefix: text, never a formula
    assert "<v>42.10</v>" in sheet and "<f>" not in sheet


def test_export_of_an_unknown_format_is_404(accountant_client, workspace):
    assert accountant_client.get("/contador/tablero.pdf").status_code == 404


# Columns and alerts' words ------------------------------------------------------------------------------


def test_a_terceros_negative_cartera_is_an_against_nature_alert_on_the_page_and_in_the_export(
    accountant_client, workspace
):
    _company(workspace, "Con cartera negativa", negative_receivables="Ana Ruiz", negative_receivables_count=1)
    _company(workspace, "Sin alertas", receivables=D("100"))
    response = accountant_client.get("/contador/", {"alerta": "nature"})
    assert _names(response) == ["Con cartera negativa"]
    assert "Cartera negativa: Ana Ruiz" in response.content.decode()
    assert "Contra su naturaleza" not in response.content.decode()  # no account is against its nature
    rows = list(
        csv.reader(
            io.StringIO(accountant_client.get("/contador/tablero.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    alerts = rows[0].index("Alertas")
    assert {row[0]: row[alerts] for row in rows[1:]} == {
        "Con cartera negativa": "Cartera negativa: Ana Ruiz",
        "Sin alertas": "",
    }


COLUMNS_URL = "/contador/tablero/columnas/"
EVERY_COLUMN = [
    "status",
    "responsible",
    "last_entry",
    "drafts",
    "locked",
    "banks",
    "receivables",
    "payables",
    "taxes",
    "result",
    "due",
]


def test_the_columns_chosen_are_kept_on_the_account_and_hidden_on_the_board(
    accountant_client, accountant, workspace
):
    _company(workspace, "Una", banks=D("1"))
    shown = [key for key in EVERY_COLUMN if key not in ("banks", "payables")]
    # Without JavaScript: the form posts, then back to the board as it was (filters and order kept).
    response = accountant_client.post(COLUMNS_URL, {"shown": shown, "next": "/contador/?orden=name"})
    assert response.status_code == 302 and response["Location"] == "/contador/?orden=name"
    accountant.refresh_from_db()
    assert accountant.board_hidden_columns == ["banks", "payables"]
    for response in (
        accountant_client.get("/contador/"),
        accountant_client.get(
            "/contador/", {"q": "una"}, headers={"HX-Request": "true"}
        ),  # the filters' htmx
    ):
        body = response.content.decode()
        assert 'data-hide="banks payables"' in body
        assert '<input type="checkbox" name="shown" value="banks">' in body
        assert '<input type="checkbox" name="shown" value="receivables" checked>' in body
    # With JavaScript: htmx saves each change and the page already hid the column.
    response = accountant_client.post(COLUMNS_URL, {"shown": EVERY_COLUMN}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    accountant.refresh_from_db()
    assert accountant.board_hidden_columns == []
    assert 'data-hide=""' in accountant_client.get("/contador/").content.decode()


def test_the_column_choice_is_each_users_own(client, workspace, accountant):
    colleague = WorkspaceMemberFactory(workspace=workspace, role="accountant").user
    client.force_login(colleague)
    client.post(COLUMNS_URL, {"shown": ["status"]})
    colleague.refresh_from_db()
    accountant.refresh_from_db()
    assert colleague.board_hidden_columns == sorted(set(EVERY_COLUMN) - {"status"})
    assert accountant.board_hidden_columns == []


def test_the_column_chooser_has_a_page_of_its_own_and_refuses_unknown_columns(accountant_client, accountant):
    body = accountant_client.get(COLUMNS_URL).content.decode()
    assert "Columnas del tablero" in body and 'value="due"' in body
    response = accountant_client.post(COLUMNS_URL, {"shown": ["banks", "name; DROP"]})
    assert response.status_code == 200 and "Escoja una opción válida" in response.content.decode()
    accountant.refresh_from_db()
    assert accountant.board_hidden_columns == []
    # A way back to another site is ignored: back to the board.
    response = accountant_client.post(COLUMNS_URL, {"shown": EVERY_COLUMN, "next": "https://example.org/"})
    assert response["Location"] == "/contador/"


def test_the_column_choice_stays_writable_in_plan_consulta(accountant_client, accountant, workspace):
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_on"])
    assert accountant_client.post(COLUMNS_URL, {"shown": ["status"]}).status_code == 302
    accountant.refresh_from_db()
    assert "banks" in accountant.board_hidden_columns
