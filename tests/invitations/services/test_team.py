"""Team invitations: the same tokens and sending as the other invitations; accepting makes the member."""

import pytest
from django.core import mail

from accounts.models import User
from firms.models import AuditEvent, WorkspaceMember
from invitations.models import Invitation
from invitations.services.answer import (
    LinkState,
    invitation_accept,
    invitation_activate,
    invitation_link_for_token,
    invitation_state,
)
from invitations.services.common import InvitationError
from invitations.services.team import team_invitation_resend, team_invitation_revoke, team_invite
from tests.factories import UserFactory

from ..conftest import deliver_all

pytestmark = pytest.mark.django_db


def _invite(workspace, accountant, email="nueva.auxiliar@example.com", role="assistant"):
    invitation = team_invite(workspace=workspace, email=email, role=role, invited_by=accountant)
    (token,) = deliver_all()
    return invitation, token


def test_inviting_a_new_address_makes_an_inactive_account_and_mails_a_link(workspace, accountant):
    invitation, token = _invite(workspace, accountant, email="Nueva.Auxiliar@Example.com")
    user = User.objects.get(email="nueva.auxiliar@example.com")
    assert not user.is_active and user.awaiting_activation
    invitation.refresh_from_db()
    assert (invitation.kind, invitation.role, invitation.status, invitation.company) == (
        "team",
        "assistant",
        "sent",
        None,
    )
    message = mail.outbox[-1]
    assert message.to == ["nueva.auxiliar@example.com"] and workspace.name in message.subject
    assert "Auxiliar" in message.body
    assert invitation_link_for_token(token).invitation == invitation
    assert invitation_link_for_token(token).token_hash != token  # stored hashed
    event = AuditEvent.objects.get(action="team.member_invited")
    assert (event.workspace, event.actor, event.object_label) == (workspace, accountant, user.email)


def test_the_new_member_activates_the_account_and_joins_with_the_role(workspace, accountant):
    invitation, token = _invite(workspace, accountant)
    assert invitation_state(invitation=invitation, user=None) == LinkState.ACTIVATE
    user = invitation_activate(invitation=invitation, password="Una-Clave-Nueva-2026")
    member = WorkspaceMember.objects.get(user=user)
    assert user.is_active and (member.workspace, member.role) == (workspace, "assistant")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation_state(invitation=invitation, user=user) == LinkState.USED  # single use
    assert AuditEvent.objects.filter(action="team.member_joined", workspace=workspace).exists()


def test_an_existing_account_logs_in_and_accepts(workspace, accountant):
    person = UserFactory()
    invitation, _token = _invite(workspace, accountant, email=person.email, role="accountant")
    assert invitation_state(invitation=invitation, user=None) == LinkState.LOGIN
    assert invitation_state(invitation=invitation, user=UserFactory()) == LinkState.WRONG_ACCOUNT
    invitation_accept(invitation=invitation, user=person)
    assert WorkspaceMember.objects.get(user=person).role == "accountant"


def test_an_account_of_another_workspace_is_told_and_does_not_join(workspace, accountant, outsider):
    invitation, _token = _invite(workspace, accountant, email=outsider.email)
    with pytest.raises(InvitationError, match="otro contador"):
        invitation_accept(invitation=invitation, user=outsider)
    invitation.refresh_from_db()
    assert invitation.is_open and not workspace.members.filter(user=outsider).exists()


def test_inviting_a_member_or_an_address_already_invited_is_refused(workspace, accountant):
    with pytest.raises(InvitationError, match="ya es miembro"):
        team_invite(workspace=workspace, email=accountant.email, role="admin", invited_by=accountant)
    _invite(workspace, accountant)
    with pytest.raises(InvitationError, match="ya tiene una invitación"):
        team_invite(
            workspace=workspace, email="nueva.auxiliar@example.com", role="admin", invited_by=accountant
        )
    assert Invitation.objects.filter(kind="team").count() == 1


def test_the_owner_role_is_never_offered(workspace, accountant):
    with pytest.raises(InvitationError):
        team_invite(workspace=workspace, email="x@example.com", role="owner", invited_by=accountant)


def test_sending_again_replaces_the_link_and_revoking_closes_it(workspace, accountant, settings):
    settings.INVITATION_RESEND_MINUTES = 0
    invitation, first = _invite(workspace, accountant)
    team_invitation_resend(workspace=workspace, invitation_id=invitation.pk)
    (second,) = deliver_all()
    link = invitation_link_for_token(first)
    assert invitation_state(invitation=link.invitation, user=None, link=link) == LinkState.REPLACED
    team_invitation_revoke(workspace=workspace, invitation_id=invitation.pk)
    link = invitation_link_for_token(second)
    assert invitation_state(invitation=link.invitation, user=None, link=link) == LinkState.USED


def test_sending_again_waits_after_an_email_went_out(workspace, accountant):
    invitation, _token = _invite(workspace, accountant)
    with pytest.raises(InvitationError, match="menos de"):
        team_invitation_resend(workspace=workspace, invitation_id=invitation.pk)


def test_another_workspace_cannot_touch_the_invitation(workspace, accountant, outsider):
    invitation, _token = _invite(workspace, accountant)
    other = outsider.workspace_memberships.get().workspace
    for action in (team_invitation_resend, team_invitation_revoke):
        with pytest.raises(Invitation.DoesNotExist):
            action(workspace=other, invitation_id=invitation.pk)
