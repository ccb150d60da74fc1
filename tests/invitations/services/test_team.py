"""Team invitations: the same tokens and sending as the other invitations; accepting makes the member."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from core.emails import DeliveryFailed
from firms.models import AuditEvent, WorkspaceMember
from invitations.models import Invitation
from invitations.services.answer import (
    LinkState,
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_link_for_token,
    invitation_state,
    invitations_expire,
)
from invitations.services.common import InvitationError, invitation_new
from invitations.services.deliver import invitation_deliver
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


# One answer closes only its own invitation's earlier links ---------------------------------------------


def _events(action: str) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("pk")
        .values_list("object_id", "workspace_id", "company_id", "actor_id")
    )


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_a_team_invitation_leaves_every_other_open_one_open(
    workspace, accountant, outsider, answer
):
    """Two workspaces, three open team invitations: the same person invited by both, another person by the
    first. Accepting or declining one touches neither of the other two."""
    other = outsider.workspace_memberships.get().workspace
    person, colleague = UserFactory(), UserFactory()
    mine = team_invite(workspace=workspace, email=person.email, role="accountant", invited_by=accountant)
    theirs = team_invite(workspace=other, email=person.email, role="assistant", invited_by=outsider)
    colleagues = team_invite(workspace=workspace, email=colleague.email, role="admin", invited_by=accountant)
    deliver_all()
    if answer == "accept":
        invitation_accept(invitation=mine, user=person)
    else:
        invitation_decline(invitation=mine, user=person, reason="No, gracias")
    statuses = dict(Invitation.objects.values_list("pk", "status"))
    expected = "accepted" if answer == "accept" else "declined"
    assert statuses == {mine.pk: expected, theirs.pk: "sent", colleagues.pk: "sent"}
    assert not AuditEvent.objects.filter(action="invitation.closed").exists()
    # The other two can still be answered, each by its own recipient.
    invitation_decline(invitation=theirs, user=person)
    invitation_accept(invitation=colleagues, user=colleague)
    assert WorkspaceMember.objects.get(user=colleague).workspace == workspace


def test_a_team_answer_closes_the_earlier_invitations_to_the_same_person_and_says_so(workspace, accountant):
    """Another open or expired invitation of the same workspace to the same address (as older data may hold)
    is closed by the answer, and the log records it."""
    person = UserFactory()
    earlier = team_invite(workspace=workspace, email=person.email, role="assistant", invited_by=accountant)
    Invitation.objects.filter(pk=earlier.pk).update(status="expired")
    # team_invite refuses a second invitation to the address: made as older data could have it.
    later = invitation_new(
        kind="team", workspace_id=workspace.pk, recipient=person, invited_by=accountant, role="accountant"
    )
    invitation_accept(invitation=later, user=person)
    earlier.refresh_from_db()
    assert (earlier.status, earlier.responded_by) == ("accepted", person)
    assert _events("invitation.closed") == [(str(earlier.pk), workspace.pk, None, person.pk)]
    assert WorkspaceMember.objects.get(user=person).role == "accountant"


def test_every_change_of_a_team_invitations_state_is_in_the_log(workspace, accountant, settings):
    settings.INVITATION_RESEND_MINUTES = 0
    invitation, _token = _invite(workspace, accountant)  # sent
    team_invitation_resend(workspace=workspace, invitation_id=invitation.pk)  # resent
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    with pytest.raises(DeliveryFailed):
        invitation_deliver(invitation_id=invitation.pk, last_attempt=True)  # could not be sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    team_invitation_resend(workspace=workspace, invitation_id=invitation.pk)
    deliver_all()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert invitations_expire() == 1  # expired
    team_invitation_revoke(workspace=workspace, invitation_id=invitation.pk)  # revoked
    actions = list(
        AuditEvent.objects.filter(object_type="invitation", object_id=str(invitation.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "team.member_invited",
        "invitation.delivered",
        "invitation.resent",
        "invitation.failed",
        "invitation.resent",
        "invitation.delivered",
        "invitation.expired",
        "invitation.revoked",
    ]
    assert set(AuditEvent.objects.values_list("workspace_id", flat=True)) == {workspace.pk}
