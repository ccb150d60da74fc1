"""Registro de actividad: the workspace's log (with its XLSX) and a company's log for its own admins."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from firms.models import AuditEvent, CompanyMember
from firms.services.audit import audit_record
from tests.factories import CompanyMemberFactory, UserFactory, WorkspaceMemberFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LOG = "/contador/actividad/"
EXPORT = "/contador/actividad/exportar/"


def _event(action="entry.posted", **fields) -> AuditEvent:
    return audit_record(action=action, **fields)


def _labels(response) -> list[str]:
    return [event.object_label for event in response.context["page"]]


def test_the_workspace_log_shows_its_events_newest_first_and_no_one_elses(
    accountant_client, accountant, workspace, linked_company, outsider
):
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label="CC-1")
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label="CC-2")
    other = outsider.workspace_memberships.get().workspace
    _event(actor=outsider, workspace=other, company=linked_company, object_label="de otro espacio")
    response = accountant_client.get(LOG)
    assert _labels(response) == ["CC-2", "CC-1"]
    body = response.content.decode()
    assert "Comprobante contabilizado" in body and linked_company.name in body and accountant.email in body


def test_another_workspace_sees_none_of_my_events(client, outsider, accountant, workspace, linked_company):
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label="CC-1")
    client.force_login(outsider)
    assert _labels(client.get(LOG)) == []
    assert AuditEvent.objects.count() == 1


def test_filters_by_company_member_action_and_dates(accountant_client, accountant, workspace, linked_company):
    colleague = WorkspaceMemberFactory(workspace=workspace, role="admin").user
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label="mía")
    _event(actor=colleague, workspace=workspace, company=linked_company, object_label="colega")
    _event(
        "period.locked", actor=colleague, workspace=workspace, company=linked_company, object_label="cierre"
    )
    _event("workspace.updated", actor=accountant, workspace=workspace, object_label="espacio")
    AuditEvent.objects.create(
        action="entry.posted",
        workspace=workspace,
        at=timezone.now() - timedelta(days=40),
        object_label="antigua",
    )
    assert _labels(accountant_client.get(LOG, {"miembro": colleague.pk})) == ["cierre", "colega"]
    assert _labels(accountant_client.get(LOG, {"accion": "period.locked"})) == ["cierre"]
    assert _labels(accountant_client.get(LOG, {"empresa": "peña"})) == ["cierre", "colega", "mía"]
    today = timezone.localdate()
    old = (today - timedelta(days=40)).isoformat()
    assert _labels(accountant_client.get(LOG, {"desde": old, "hasta": old})) == ["antigua"]
    assert len(_labels(accountant_client.get(LOG, {"desde": today.isoformat()}))) == 4


def test_the_log_pages_with_the_same_queries_for_few_and_many_events(
    accountant_client, accountant, workspace, linked_company
):
    def add(count):
        AuditEvent.objects.bulk_create(
            AuditEvent(action="entry.posted", actor=accountant, workspace=workspace, company=linked_company)
            for _ in range(count)
        )

    add(2)
    small = page_queries(accountant_client, LOG)
    add(120)
    assert len(accountant_client.get(LOG).context["page"]) == 50
    assert page_queries(accountant_client, LOG) == small
    assert page_queries(accountant_client, LOG, {"page": 2, "accion": "entry.posted"}) == small


def test_the_export_is_the_filtered_log_with_formulas_written_as_text(
    accountant_client, accountant, workspace, linked_company
):
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label='=HYPERLINK("x")')
    _event(
        "period.locked", actor=accountant, workspace=workspace, company=linked_company, object_label="cierre"
    )
    _event("plan.changed", workspace=workspace, object_label="plan")  # by an administrator: no actor
    response = accountant_client.get(EXPORT, {"accion": "entry.posted"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Cuándo", "Quién", "Empresa", "Acción")
    assert len(rows) == 2 and rows[1][1] == accountant.email and rows[1][2] == linked_company.name
    cell = sheet.cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    everything = load_workbook(io.BytesIO(accountant_client.get(EXPORT).content)).active
    assert [row[1] for row in everything.iter_rows(min_row=2, values_only=True)][0] == "Sistema"


@pytest.mark.parametrize("role", ["accountant", "assistant"])
def test_only_owners_and_administrators_read_the_log_and_see_its_link(client, workspace, role):
    member = WorkspaceMemberFactory(workspace=workspace, role=role).user
    client.force_login(member)
    assert client.get(LOG).status_code == 403 and client.get(EXPORT).status_code == 403
    assert 'href="/contador/actividad/"' not in client.get("/contador/").content.decode()
    client.force_login(WorkspaceMemberFactory(workspace=workspace, role="admin").user)
    assert client.get(LOG).status_code == 200
    client.force_login(workspace.members.get(role="owner").user)
    assert client.get(LOG).status_code == 200
    assert 'href="/contador/actividad/"' in client.get("/contador/").content.decode()


# The company's log -------------------------------------------------------------------------------------


@pytest.fixture
def shared_with_accountant(workspace, company_andes, client_member):
    """company_andes, owned by client_member, worked on by the accountant's workspace."""
    from tests.factories import CompanyAccessFactory

    CompanyAccessFactory(workspace=workspace, company=company_andes, status="active")
    return company_andes


def test_a_company_owner_reads_what_the_accountants_did_in_the_company(
    client, client_member, accountant, workspace, shared_with_accountant
):
    company = shared_with_accountant
    _event(actor=accountant, workspace=workspace, company=company, object_label="CC-7")
    _event(actor=accountant, workspace=workspace, object_label="fuera de la empresa")
    client.force_login(client_member)
    response = client.get(f"{company.get_absolute_url()}actividad/")
    assert _labels(response) == ["CC-7"]
    body = response.content.decode()
    assert workspace.name in body and accountant.email in body
    assert f'href="{company.get_absolute_url()}actividad/"' in body  # in the company's menu


def test_a_company_admin_reads_it_too_and_the_accountants_and_outsiders_do_not(
    client, accountant_client, outsider, workspace, shared_with_accountant, company_pena
):
    company = shared_with_accountant
    url = f"{company.get_absolute_url()}actividad/"
    assert accountant_client.get(url).status_code == 404  # they read their own workspace's log
    admin = CompanyMemberFactory(company=company, role=CompanyMember.Role.ADMIN).user
    client.force_login(admin)
    assert client.get(url).status_code == 200
    other_client = CompanyMemberFactory(company=company_pena, user=UserFactory()).user
    for user in (outsider, other_client):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_company_log_pages_with_the_same_queries_for_few_and_many_events(
    client, client_member, accountant, workspace, shared_with_accountant
):
    company = shared_with_accountant
    url = f"{company.get_absolute_url()}actividad/"

    def add(count):
        AuditEvent.objects.bulk_create(
            AuditEvent(action="entry.posted", actor=accountant, workspace=workspace, company=company)
            for _ in range(count)
        )

    client.force_login(client_member)
    add(2)
    small = page_queries(client, url)
    add(80)
    assert page_queries(client, url) == small
    assert page_queries(client, url, {"accion": "entry.posted", "desde": "2026-01-01"}) == small


def test_a_request_records_its_user_and_workspace_in_the_company(
    accountant_client, accountant, workspace, linked_company
):
    """Through the web: the request's user is the actor, the grant's workspace the workspace."""
    response = accountant_client.post(
        f"{linked_company.get_absolute_url()}centros-de-costo/",
        {"code": "ADM", "name": "Administración"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="cost_center.created")
    assert (event.actor, event.workspace, event.company) == (accountant, workspace, linked_company)
    assert event.object_label == "ADM Administración"


def test_an_event_reads_in_the_readers_language_and_older_events_as_they_were_stored(
    accountant_client, accountant, workspace, linked_company
):
    """Summaries are written again when read, from their English text and parameters: an English reader
    and a Spanish reader see the same event in their own words, dates and amounts. The log stays
    append-only: events written before (text only) keep their text."""
    from datetime import date
    from decimal import Decimal

    from django.utils.translation import gettext_noop

    from firms.models import WorkspaceMember
    from firms.services.audit import AuditText

    summary = AuditText(
        gettext_noop("Reversed by %(label)s on %(date)s"), label="FV-91", date=date(2026, 3, 25)
    )
    entry = _event(
        "entry.reversed", actor=accountant, workspace=workspace, company=linked_company, summary=summary
    )
    amount = AuditText(
        "%(date)s · %(amount)s · %(description)s",
        date=date(2026, 3, 25),
        amount=Decimal("1234567.89"),
        description="Venta",
    )
    _event(actor=accountant, workspace=workspace, company=linked_company, object_label="CC-7", summary=amount)
    role = AuditText(
        gettext_noop("%(who)s is now %(role)s."), who="Laura", role=WorkspaceMember.Role.ADMIN.label
    )
    _event("team.role_changed", actor=accountant, workspace=workspace, summary=role)
    _event("period.locked", actor=accountant, workspace=workspace, summary="texto guardado antes")
    # Stored in the product's language, whoever acted.
    assert AuditEvent.objects.get(pk=entry.pk).summary == "Reversado con FV-91 el 25/03/2026"

    spanish = accountant_client.get(LOG).content.decode()
    for text in (
        "Reversado con FV-91 el 25/03/2026",
        "25/03/2026 · 1.234.567,89 · Venta",
        "Laura ahora es Administrador.",
        "texto guardado antes",
    ):
        assert text in spanish
    accountant_client.cookies["django_language"] = "en"
    english = accountant_client.get(LOG).content.decode()
    for text in (
        "Reversed by FV-91 on 03/25/2026",
        "03/25/2026 · 1,234,567.89 · Venta",
        "Laura is now Administrator.",
        "texto guardado antes",
    ):
        assert text in english
    assert "Reversado" not in english and "25/03/2026" not in english and "1.234.567,89" not in english
    rows = list(load_workbook(io.BytesIO(accountant_client.get(EXPORT).content)).active.values)
    assert rows[0][5] == "Summary" and "Reversed by FV-91 on 03/25/2026" in [row[5] for row in rows]
    when = timezone.localtime(AuditEvent.objects.get(pk=entry.pk).at)
    assert when.strftime("%m/%d/%Y %H:%M:%S") in [row[0] for row in rows]


def test_a_summary_that_cannot_be_read_falls_back_to_the_stored_text(workspace):
    event = _event("period.locked", workspace=workspace, summary="guardado")
    event.texts = {"summary": {"text": "%(missing)s", "params": {"other": 1}}}
    assert event.display_summary == "guardado"
