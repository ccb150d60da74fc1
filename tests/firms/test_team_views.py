"""Equipo: the team page, the per-company team, "Asignar" from the list, and what each role's home lists."""

import pytest
from django.core import mail

from firms.models import CompanyAccess, CompanyAssignment, WorkspaceMember
from invitations.models import Invitation
from invitations.services.deliver import invitation_deliver
from tests.factories import CompanyAccessFactory, LinkRequestFactory, UserFactory, WorkspaceMemberFactory
from tests.queries import page_queries

TEAM = "/contador/equipo/"


def _names(response):
    return [access.name for access in response.context["page"]]


def test_team_page_query_count_is_the_same_for_few_and_many_members(accountant_client, workspace, accountant):
    from invitations.services.team import team_invite

    def add(count, start):
        for number in range(start, start + count):
            member = WorkspaceMemberFactory(workspace=workspace, role="accountant")
            CompanyAssignment.objects.create(access=CompanyAccessFactory(workspace=workspace), member=member)
            team_invite(
                workspace=workspace, email=f"inv{number}@example.com", role="assistant", invited_by=accountant
            )

    add(2, 0)
    small = page_queries(accountant_client, TEAM)
    add(20, 2)
    response = accountant_client.get(TEAM)
    assert len(response.context["members"]) == 23 and len(response.context["invitations"]) == 22
    assert page_queries(accountant_client, TEAM) == small


def test_the_team_page_invites_with_a_role(accountant_client, workspace):
    response = accountant_client.post(TEAM, {"email": "laura@example.com", "role": "accountant"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(kind="team")
    assert (invitation.workspace, invitation.role, invitation.email) == (
        workspace,
        "accountant",
        "laura@example.com",
    )
    invitation_deliver(invitation_id=invitation.pk)  # what the worker does
    assert mail.outbox[-1].to == ["laura@example.com"]
    page = accountant_client.get(TEAM).content.decode()
    assert "laura@example.com" in page and "Enviada" in page


def test_the_team_page_changes_a_role_and_removes_a_member(accountant_client, workspace):
    member = WorkspaceMemberFactory(workspace=workspace, role="assistant")
    accountant_client.post(f"{TEAM}miembros/{member.pk}/rol/", {"role": "admin"})
    member.refresh_from_db()
    assert member.role == "admin"
    response = accountant_client.post(f"{TEAM}miembros/{member.pk}/retirar/", follow=True)
    assert not WorkspaceMember.objects.filter(pk=member.pk).exists()
    assert "ya no está en el equipo" in response.content.decode()


def test_an_administrator_cannot_remove_the_owner(client, workspace):
    admin = WorkspaceMemberFactory(workspace=workspace, role="admin")
    owner = workspace.members.get(role="owner")
    client.force_login(admin.user)
    response = client.post(f"{TEAM}miembros/{owner.pk}/retirar/", follow=True)
    assert "El propietario no se puede retirar del equipo" in response.content.decode()
    client.post(f"{TEAM}miembros/{owner.pk}/rol/", {"role": "assistant"})
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_assign_from_the_list_then_the_contador_sees_only_those(accountant_client, client, workspace):
    accesses = [CompanyAccessFactory(workspace=workspace) for _ in range(3)]
    request = LinkRequestFactory(workspace=workspace)
    contador = WorkspaceMemberFactory(workspace=workspace, role="accountant", user=UserFactory())
    response = accountant_client.post(
        f"{TEAM}asignar/",
        {"access": [accesses[0].pk, accesses[1].pk, request.pk], "member": contador.pk, "responsible": "on"},
        follow=True,
    )
    assert "Asignaste a " in response.content.decode() and " a 2 empresas." in response.content.decode()
    home = accountant_client.get("/contador/").content.decode()
    assert home.count(f'data-label="Responsable">{contador.user.full_name}</td>') == 2
    client.force_login(contador.user)
    response = client.get("/contador/")
    assert sorted(_names(response)) == sorted([accesses[0].name, accesses[1].name])
    assert 'form="bulk-assign"' not in response.content.decode()  # no team controls for a contador
    found = client.get("/contador/", {"q": accesses[2].name})
    assert _names(found) == []


def test_the_company_team_page_assigns_makes_responsable_and_takes_off(accountant_client, workspace):
    access = CompanyAccessFactory(workspace=workspace)
    first = WorkspaceMemberFactory(workspace=workspace, role="accountant")
    second = WorkspaceMemberFactory(workspace=workspace, role="assistant")
    url = f"{TEAM}empresas/{access.pk}/"
    accountant_client.post(url, {"member": first.pk, "responsible": "on"})
    accountant_client.post(url, {"member": second.pk})
    assignment = CompanyAssignment.objects.get(member=second)
    accountant_client.post(f"{TEAM}asignaciones/{assignment.pk}/responsable/")
    assert CompanyAssignment.objects.get(access=access, is_responsible=True).member == second
    accountant_client.post(f"{TEAM}asignaciones/{assignment.pk}/quitar/")
    assert list(CompanyAssignment.objects.filter(access=access).values_list("member", flat=True)) == [
        first.pk
    ]
    response = accountant_client.get(url)
    assert [a.member for a in response.context["assignments"]] == [first]


def test_a_contador_sees_only_assigned_companies_in_the_tax_calendar(client, workspace, linked_company):
    contador = WorkspaceMemberFactory(workspace=workspace, role="accountant")
    client.force_login(contador.user)
    assert linked_company.name not in client.get("/contador/calendario/").content.decode()
    CompanyAssignment.objects.create(
        access=CompanyAccess.objects.get(company=linked_company), member=contador
    )
    assert linked_company.name in client.get("/contador/calendario/").content.decode()


@pytest.mark.parametrize("role", ["accountant", "assistant"])
def test_the_menu_shows_team_and_clients_only_to_managers(client, workspace, role):
    member = WorkspaceMemberFactory(workspace=workspace, role=role)
    client.force_login(member.user)
    page = client.get("/contador/").content.decode()
    assert TEAM not in page and "/contador/clientes/anadir/" not in page
    assert "Todavía no tienes empresas asignadas" in page


def test_the_company_page_links_its_team_for_managers_only(
    accountant_client, client, workspace, linked_company
):
    access = CompanyAccess.objects.get(workspace=workspace, company=linked_company)
    assert (
        f"{TEAM}empresas/{access.pk}/"
        in accountant_client.get(linked_company.get_absolute_url()).content.decode()
    )
    contador = WorkspaceMemberFactory(workspace=workspace, role="accountant")
    CompanyAssignment.objects.create(access=access, member=contador)
    client.force_login(contador.user)
    assert TEAM not in client.get(linked_company.get_absolute_url()).content.decode()


def test_assignment_messages_and_their_log_lines_fit_any_name_and_end_once(accountant_client, workspace):
    """Spanish cannot say "quedó asignado/a" without the person's gender: "Asignaste a …"; a company name that
    ends with a period ("… S.A.S.") closes the sentence with that one period."""
    ana = WorkspaceMemberFactory(
        workspace=workspace, role="accountant", user=UserFactory(full_name="Ana Ruiz")
    )
    pena, macondo = (CompanyAccessFactory(workspace=workspace) for _ in range(2))
    response = accountant_client.post(f"{TEAM}asignar/", {"access": [pena.pk], "member": ana.pk}, follow=True)
    assert "Asignaste a Ana Ruiz a 1 empresa." in response.content.decode()
    response = accountant_client.post(
        f"{TEAM}empresas/{macondo.pk}/", {"member": ana.pk, "responsible": "on"}, follow=True
    )
    assert f"Ana Ruiz trabaja en {macondo.name}" in response.content.decode()
    assignment = CompanyAssignment.objects.get(access=pena, member=ana)
    response = accountant_client.post(f"{TEAM}asignaciones/{assignment.pk}/responsable/", follow=True)
    assert f"{pena.name} tiene como responsable a Ana Ruiz." in response.content.decode()
    response = accountant_client.post(f"{TEAM}asignaciones/{assignment.pk}/quitar/", follow=True)
    assert f"Ana Ruiz ya no trabaja en {pena.name}<" in response.content.decode()
    log = accountant_client.get("/contador/actividad/").content.decode()
    assert f"Se asignó a Ana Ruiz a {pena.name}<" in log and f"Se asignó a Ana Ruiz a {macondo.name}<" in log
    assert f"{macondo.name} tiene como responsable a Ana Ruiz." in log
    assert f"Ana Ruiz ya no trabaja en {pena.name}<" in log
    for body in (response.content.decode(), log):
        assert pena.name.endswith("S.A.S.") and "S.A.S.." not in body
        assert "quedó asignad" not in body and "es el responsable" not in body
