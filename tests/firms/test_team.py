"""Team services and the role rules of the one access check (firms.access)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from firms.access import (
    companies_for_user,
    company_grant_for_user,
    member_accesses,
    membership_for_user,
    workspace_for_user,
)
from firms.models import AuditEvent, CompanyAccess, CompanyAssignment, WorkspaceMember
from firms.services.team import (
    TeamError,
    assignment_add,
    assignment_remove,
    assignment_set_responsible,
    assignments_add_many,
    team_member_add,
    team_member_remove,
    team_member_role_change,
)
from tests.factories import (
    CompanyAccessFactory,
    CompanyMemberFactory,
    LinkRequestFactory,
    UserFactory,
    WorkspaceMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(workspace) -> WorkspaceMember:
    return workspace.members.get(role="owner")


@pytest.fixture
def access(workspace, linked_company) -> CompanyAccess:
    return CompanyAccess.objects.get(workspace=workspace, company=linked_company)


@pytest.fixture
def other_access(workspace) -> CompanyAccess:
    return CompanyAccessFactory(workspace=workspace)


def _member(workspace, role):
    return WorkspaceMemberFactory(workspace=workspace, role=role)


def _actions(workspace) -> list[str]:
    return list(
        AuditEvent.objects.filter(workspace=workspace).order_by("id").values_list("action", flat=True)
    )


# Roles ------------------------------------------------------------------------------------------


def test_team_member_add_gives_the_invited_role_and_records_it(workspace):
    user = UserFactory()
    member = team_member_add(workspace=workspace, user=user, role="assistant")
    assert (member.workspace, member.role) == (workspace, "assistant")
    assert _actions(workspace) == ["team.member_joined"]


@pytest.mark.parametrize("role", ["owner", "staff", ""])
def test_team_member_add_refuses_roles_the_team_page_does_not_give(workspace, role):
    with pytest.raises(TeamError):
        team_member_add(workspace=workspace, user=UserFactory(), role=role)


def test_team_member_add_refuses_an_account_that_works_in_another_workspace(workspace, outsider):
    with pytest.raises(TeamError, match="otro contador"):
        team_member_add(workspace=workspace, user=outsider, role="accountant")
    assert not workspace.members.filter(user=outsider).exists()


def test_role_change_records_before_and_after(workspace):
    member = _member(workspace, "assistant")
    team_member_role_change(member=member, role="accountant")
    member.refresh_from_db()
    event = AuditEvent.objects.get(action="team.role_changed")
    assert member.role == "accountant"
    assert (event.before, event.after, event.workspace) == (
        {"role": "assistant"},
        {"role": "accountant"},
        workspace,
    )


def test_the_owner_keeps_the_role_and_nobody_becomes_owner(workspace, owner):
    with pytest.raises(TeamError):
        team_member_role_change(member=owner, role="admin")
    with pytest.raises(TeamError):
        team_member_role_change(member=_member(workspace, "admin"), role="owner")
    assert workspace.members.filter(role="owner").get() == owner


def test_the_owner_cannot_be_removed(owner):
    with pytest.raises(TeamError):
        team_member_remove(member=owner)
    assert WorkspaceMember.objects.filter(pk=owner.pk).exists()


def test_removing_a_member_takes_their_assignments_and_is_recorded(workspace, access):
    member = _member(workspace, "accountant")
    assignment_add(access=access, member=member)
    team_member_remove(member=member)
    assert not CompanyAssignment.objects.filter(access=access).exists()
    assert workspace_for_user(member.user) is None
    assert _actions(workspace)[-1] == "team.member_removed"


def test_the_database_refuses_an_unknown_role(workspace):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE firms_workspacemember SET role = 'staff' WHERE workspace_id = %s", [workspace.pk]
        )


def test_the_owner_workspace_comes_first_whatever_the_role_names(db):
    user = UserFactory()
    WorkspaceMemberFactory(user=user, role="accountant")
    WorkspaceMemberFactory(user=user, role="admin")
    owned = WorkspaceMemberFactory(user=user, role="owner")
    assert membership_for_user(user) == owned


# Assignments ------------------------------------------------------------------------------------


def test_assignment_add_and_responsable_are_recorded_and_move(workspace, access):
    first, second = _member(workspace, "accountant"), _member(workspace, "assistant")
    assignment_add(access=access, member=first, responsible=True)
    assignment_add(access=access, member=second, responsible=True)
    rows = dict(CompanyAssignment.objects.filter(access=access).values_list("member_id", "is_responsible"))
    assert rows == {first.pk: False, second.pk: True}  # the previous responsable stays assigned
    assert _actions(workspace) == [
        "assignment.added",
        "assignment.responsible_changed",
        "assignment.added",
        "assignment.responsible_changed",
    ]
    assignment_set_responsible(assignment=CompanyAssignment.objects.get(member=first))
    assert CompanyAssignment.objects.get(access=access, is_responsible=True).member == first


def test_assigning_twice_keeps_one_assignment(workspace, access):
    member = _member(workspace, "accountant")
    assignment_add(access=access, member=member)
    assignment_add(access=access, member=member)
    assert CompanyAssignment.objects.filter(access=access, member=member).count() == 1
    assert _actions(workspace) == ["assignment.added"]


def test_the_database_keeps_one_responsable_per_company(workspace, access):
    first, second = _member(workspace, "accountant"), _member(workspace, "accountant")
    assignment_add(access=access, member=first, responsible=True)
    assignment_add(access=access, member=second)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE firms_companyassignment SET is_responsible = true WHERE access_id = %s", [access.pk]
        )


def test_assignment_refuses_another_workspaces_member_and_a_request(workspace, access, outsider):
    with pytest.raises(TeamError):
        assignment_add(access=access, member=outsider.workspace_memberships.get())
    with pytest.raises(TeamError):
        assignment_add(
            access=LinkRequestFactory(workspace=workspace), member=_member(workspace, "accountant")
        )
    assert not CompanyAssignment.objects.exists()


def test_assignment_remove_is_recorded(workspace, access):
    assignment = assignment_add(access=access, member=_member(workspace, "accountant"))
    assignment_remove(assignment=assignment)
    assert not CompanyAssignment.objects.exists()
    assert _actions(workspace)[-1] == "assignment.removed"


def test_assign_many_takes_only_the_workspaces_companies(workspace, access, other_access, outsider):
    member = _member(workspace, "accountant")
    foreign = CompanyAccessFactory(workspace=outsider.workspace_memberships.get().workspace)
    request = LinkRequestFactory(workspace=workspace)
    ids = [access.pk, other_access.pk, foreign.pk, request.pk]
    assert assignments_add_many(workspace=workspace, access_ids=ids, member=member) == 2
    assert set(member.assignments.values_list("access_id", flat=True)) == {access.pk, other_access.pk}


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owner_and_administrator_see_every_company(workspace, access, other_access, role):
    member = workspace.members.get(role="owner") if role == "owner" else _member(workspace, role)
    companies = {access.company, other_access.company}
    assert set(companies_for_user(member.user)) == companies
    assert {a.company for a in member_accesses(member)} == companies
    assert company_grant_for_user(user=member.user, slug=other_access.company.slug).can_post


@pytest.mark.parametrize("role", ["accountant", "assistant"])
def test_contador_and_auxiliar_see_only_their_assignments(workspace, access, other_access, role):
    member = _member(workspace, role)
    assignment_add(access=access, member=member)
    assert list(companies_for_user(member.user)) == [access.company]
    assert list(member_accesses(member)) == [access]
    grant = company_grant_for_user(user=member.user, slug=access.company.slug)
    assert grant.can_post is (role == "accountant")
    with pytest.raises(Http404):
        company_grant_for_user(user=member.user, slug=other_access.company.slug)


def test_an_assignment_opens_nothing_once_the_access_is_revoked(workspace, access):
    member = _member(workspace, "accountant")
    assignment_add(access=access, member=member)
    CompanyAccess.objects.filter(pk=access.pk).update(status="revoked")
    assert not companies_for_user(member.user).exists()
    with pytest.raises(Http404):
        company_grant_for_user(user=member.user, slug=access.company.slug)


# A member of a workspace that works on a company works in it under the workspace's role and plan ------


@pytest.mark.parametrize("role", ["accountant", "assistant"])
def test_a_team_member_who_also_owns_the_company_works_in_it_under_the_teams_role(workspace, access, role):
    member = _member(workspace, role)
    CompanyMemberFactory(company=access.company, user=member.user, role="owner")
    assignment_add(access=access, member=member)
    grant = company_grant_for_user(user=member.user, slug=access.company.slug)
    assert grant.member_role is None and not grant.is_company_admin  # no revoking the firm, no client pages
    assert grant.can_post is (role == "accountant")  # an auxiliar drafts, whatever they own
    assert grant.managing_workspace is None


def test_a_team_member_who_owns_the_company_enters_it_only_when_assigned(workspace, access):
    member = _member(workspace, "accountant")
    CompanyMemberFactory(company=access.company, user=member.user, role="owner")
    assert access.company not in companies_for_user(member.user)
    with pytest.raises(Http404):
        company_grant_for_user(user=member.user, slug=access.company.slug)


def test_a_team_member_who_owns_the_company_follows_the_workspaces_plan(workspace, access):
    member = _member(workspace, "accountant")
    CompanyMemberFactory(company=access.company, user=member.user, role="admin")
    assignment_add(access=access, member=member)
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_on"])
    assert company_grant_for_user(user=member.user, slug=access.company.slug).read_only


def test_the_company_membership_counts_again_once_no_workspace_of_theirs_works_on_it(workspace, access):
    """Someone who owned the company before joining the team (the only way in: the team cannot invite
    its members as clients) owns it again once out of the team, or once the access ends."""
    member = _member(workspace, "assistant")
    CompanyMemberFactory(company=access.company, user=member.user, role="owner")
    assignment_add(access=access, member=member)
    CompanyAccess.objects.filter(pk=access.pk).update(status="revoked")
    grant = company_grant_for_user(user=member.user, slug=access.company.slug)
    assert grant.is_company_admin and grant.can_post and not grant.workspaces
    CompanyAccess.objects.filter(pk=access.pk).update(status="active")
    assert not company_grant_for_user(user=member.user, slug=access.company.slug).is_company_admin
    team_member_remove(member=member)
    assert company_grant_for_user(user=member.user, slug=access.company.slug).is_company_admin
    assert access.company in companies_for_user(member.user)


def test_a_client_is_not_touched_by_a_workspace_they_are_not_in(workspace, access, outsider):
    """The company's own owner, and an owner who works in another workspace without access to it."""
    client = CompanyMemberFactory(company=access.company, role="owner").user
    CompanyMemberFactory(company=access.company, user=outsider, role="owner")
    for user in (client, outsider):
        grant = company_grant_for_user(user=user, slug=access.company.slug)
        assert grant.is_company_admin and grant.can_post and grant.workspaces == []
        assert access.company in companies_for_user(user)
    stranger = UserFactory()
    with pytest.raises(Http404):
        company_grant_for_user(user=stranger, slug=access.company.slug)
