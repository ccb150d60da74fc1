from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from firms.models import CompanyAccess, CompanyMember
from firms.tax_ids import TaxId
from invitations.models import Invitation, InvitationEvent
from invitations.services import (
    InvalidLink,
    InvitationError,
    LinkRequest,
    access_resend,
    access_revoke_invitations,
    client_link_request,
    company_access_revoke,
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_for_token,
    invitations_expire,
    invitations_remind,
    token_hash,
)
from tests.factories import CompanyMemberFactory, UserFactory

from .conftest import deliver_all


def _access(invitation):
    return CompanyAccess.objects.get(pk=invitation.access_id)


def test_link_request_creates_a_pending_access_and_an_invitation_per_admin(
    workspace, accountant, company_andes
):
    owner = CompanyMemberFactory(company=company_andes, role="owner").user
    admin = CompanyMemberFactory(company=company_andes, role="admin").user
    outcome = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    assert outcome == LinkRequest.REQUESTED
    access = CompanyAccess.objects.get(workspace=workspace, company=company_andes)
    assert access.status == "pending" and access.invitation_status == "queued"
    assert {i.recipient for i in Invitation.objects.filter(access=access)} == {owner, admin}


def test_link_request_answers_the_same_for_an_unknown_tax_id(
    workspace, accountant, company_andes, client_member
):
    known = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    unknown = client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("901234567", "7"), invited_by=accountant
    )
    assert known == unknown == LinkRequest.REQUESTED


def test_link_request_refuses_duplicates(link_request, workspace, accountant):
    args = {
        "workspace": workspace,
        "country": "CO",
        "tax_id": TaxId("860002964", "4"),
        "invited_by": accountant,
    }
    assert client_link_request(**args) == LinkRequest.ALREADY_PENDING
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    assert client_link_request(**args) == LinkRequest.ALREADY_LINKED
    assert Invitation.objects.filter(access_id=invitation.access_id).count() == 1


def test_link_request_never_grants_access_by_itself(link_request, accountant_client, company_andes):
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 404


def test_sending_marks_sent_only_after_the_backend_accepted(link_request):
    invitation, token = link_request
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.sent_at and invitation.attempts == 1
    assert _access(invitation).invitation_status == "sent"
    assert [e.kind for e in invitation.events.all()] == ["queued", "sent"]
    assert invitation_for_token(token) == invitation


def test_failed_sending_is_recorded_and_nothing_is_marked_sent(
    workspace, accountant, company_andes, client_member, settings
):
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    invitation = Invitation.objects.get()
    with pytest.raises(Exception, match="SMTP"):
        deliver_all()
    invitation.refresh_from_db()
    assert invitation.status == "failed" and invitation.sent_at is None and invitation.attempts == 1
    assert "550" in invitation.last_error
    assert not invitation.tokens.exists()  # the link that was not sent does not work
    assert _access(invitation).invitation_status == "failed"
    assert [e.kind for e in invitation.events.all()] == ["queued", "failed"]


def test_a_rolled_back_transaction_sends_nothing(
    workspace, accountant, company_andes, client_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            client_link_request(
                workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
            )
            raise RuntimeError("something later failed")
    assert callbacks == [] and mail.outbox == []
    assert (
        not Invitation.objects.exists()
        and not CompanyAccess.objects.filter(company__tax_id="860002964").exists()
    )


def test_accepting_a_link_request_starts_the_access(link_request, accountant_client, company_andes):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_by == invitation.recipient
    assert _access(invitation).status == "active" and _access(invitation).invitation_status == "accepted"
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 200


def test_the_first_admin_to_answer_closes_the_request_for_all(
    workspace, accountant, company_andes, client_member
):
    other_admin = CompanyMemberFactory(company=company_andes, role="admin").user
    client_link_request(
        workspace=workspace, country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    deliver_all()
    mine = Invitation.objects.get(recipient=client_member)
    invitation_decline(invitation=mine, user=client_member, reason="No trabajamos con ustedes")
    theirs = Invitation.objects.get(recipient=other_admin)
    assert theirs.status == "declined" and theirs.responded_by == client_member
    with pytest.raises(InvitationError):
        invitation_accept(invitation=theirs, user=other_admin)
    assert _access(mine).status == "declined"


def test_declining_records_the_reason_for_the_accountant(link_request):
    invitation, _token = link_request
    invitation_decline(invitation=invitation, user=invitation.recipient, reason="  Ya tenemos contador  ")
    invitation.refresh_from_db()
    assert invitation.status == "declined" and invitation.decline_reason == "Ya tenemos contador"
    assert _access(invitation).status == "declined"


def test_a_used_invitation_cannot_be_used_again(link_request):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    with pytest.raises(InvitationError, match="already used|ya se usó|ya fue usada"):
        invitation_decline(invitation=invitation, user=invitation.recipient)


def test_another_user_cannot_answer(link_request, outsider):
    invitation, _token = link_request
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=outsider)
    assert _access(invitation).status == "pending"


def test_an_expired_invitation_cannot_be_answered(link_request):
    invitation, _token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=invitation.recipient)


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "not-a-real-token-but-long-enough-to-look-like-one"])
def test_tampered_tokens_are_invalid(link_request, token):
    with pytest.raises(InvalidLink):
        invitation_for_token(token)


def test_tokens_are_stored_hashed_and_long(link_request):
    invitation, token = link_request
    stored = invitation.tokens.get().token_hash
    assert len(token) >= 43 and token not in stored and stored == token_hash(token)


def test_creating_an_account_for_a_client(activation, workspace, accountant_client):
    invitation, _token = activation
    company = invitation.company
    user = User.objects.get(email="cliente.nuevo@example.com")
    assert not user.is_active and user.check_password("Clave-Del-Contador-1")
    assert CompanyMember.objects.get(company=company).user == user
    assert CompanyAccess.objects.get(company=company, workspace=workspace).status == "active"
    assert company.tax_responsibilities == ["05", "48"] and company.sector == "I"
    assert (
        accountant_client.get(company.get_absolute_url()).status_code == 200
    )  # the accountant works at once


def test_activation_requires_a_new_password(activation):
    invitation, _token = activation
    with pytest.raises(InvitationError):
        invitation_activate(invitation=invitation, password="Clave-Del-Contador-1")
    user = invitation_activate(invitation=invitation, password="Mi-Propia-Clave-2026")
    assert user.is_active and user.check_password("Mi-Propia-Clave-2026")
    assert not user.check_password("Clave-Del-Contador-1")
    assert user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_creating_for_an_existing_email_invites_its_owner_and_changes_nothing(workspace, accountant):
    from invitations.services import client_account_create

    existing = UserFactory(email="ya.existe@example.com")
    company = client_account_create(
        workspace=workspace,
        invited_by=accountant,
        email="YA.EXISTE@example.com",
        password="Otra-Clave-99",
        name="Nueva S.A.S.",
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )
    existing.refresh_from_db()
    assert existing.check_password("clave-segura-123") and existing.is_active
    assert not CompanyMember.objects.filter(company=company).exists()  # until they accept
    invitation = Invitation.objects.get(company=company)
    deliver_all()
    invitation_accept(invitation=invitation, user=existing)
    assert CompanyMember.objects.get(company=company).user == existing


def test_resend_is_limited_to_once_every_10_minutes(link_request):
    invitation, _token = link_request
    access = _access(invitation)
    with pytest.raises(InvitationError, match="10"):
        access_resend(access=access)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert access_resend(access=access) == 1
    (new_token,) = deliver_all()
    invitation.refresh_from_db()
    assert invitation.status == "sent" and invitation.expires_at > timezone.now() + timedelta(days=6)
    with pytest.raises(InvitationError):
        access_resend(access=access)


def test_resend_revives_an_expired_invitation_with_a_new_link(link_request):
    invitation, old_token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1), created_at=timezone.now() - timedelta(days=8)
    )
    assert invitations_expire() == 1
    access_resend(access=_access(invitation))
    (new_token,) = deliver_all()
    assert invitation_for_token(new_token) == invitation
    invitation_accept(
        invitation=invitation_for_token(old_token), user=invitation.recipient
    )  # old links still work


def test_revoking_a_link_request(link_request):
    invitation, token = link_request
    access_revoke_invitations(access=_access(invitation))
    invitation.refresh_from_db()
    assert invitation.status == "revoked" and _access(invitation).status == "revoked"
    with pytest.raises(InvitationError):
        invitation_accept(invitation=invitation, user=invitation.recipient)


def test_the_client_revokes_a_workspaces_access(link_request, accountant_client, company_andes):
    invitation, _token = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    company_access_revoke(company=company_andes, access_id=invitation.access_id, by=invitation.recipient)
    assert _access(invitation).status == "revoked"
    assert accountant_client.get(company_andes.get_absolute_url()).status_code == 404


def test_daily_job_expires_and_reminds_once(link_request, django_capture_on_commit_callbacks):
    invitation, _token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=3, minutes=1))
    from invitations.services import invitation_deliver

    assert invitations_remind() == 1
    assert invitation_deliver(invitation_id=invitation.pk, purpose="reminder") is True
    assert invitation_deliver(invitation_id=invitation.pk, purpose="reminder") is False  # only once
    assert invitations_remind() == 0
    assert mail.outbox[-1].subject.startswith("Recordatorio:")
    assert InvitationEvent.objects.filter(invitation=invitation, kind="reminded").count() == 1
    assert invitations_expire() == 0
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == "expired" and _access(invitation).invitation_status == "expired"
