"""Invitation e-mails go through a real Celery worker on Redis, with retries on SMTP errors."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accountant_portal.celery import app
from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.create import client_link_request
from tests.factories import CompanyMemberFactory, UserFactory, WorkspaceMemberFactory

from . import failing_backend

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def request_to_andes(company_andes):
    accountant = WorkspaceMemberFactory().user
    CompanyMemberFactory(company=company_andes, user=UserFactory(), role="owner")
    return lambda: client_link_request(
        workspace=accountant.workspace_memberships.get().workspace,
        name="Los Andes",
        country="CO",
        tax_id=TaxId("860002964", "4"),
        invited_by=accountant,
    )


def test_worker_sends_the_invitation_queued_on_commit(request_to_andes):
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        request_to_andes()
        assert _wait_for(lambda: Invitation.objects.filter(status="sent").exists())
    assert len(mail.outbox) == 1


def test_worker_retries_a_failing_smtp_server_with_back_off_and_then_sends(request_to_andes, settings):
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.FlakyBackend"
    failing_backend.ATTEMPTS["count"] = 0
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        request_to_andes()
        assert _wait_for(lambda: Invitation.objects.filter(status="sent").exists(), seconds=60)
    invitation = Invitation.objects.get()
    assert invitation.attempts == 3 and failing_backend.ATTEMPTS["count"] == 3
    failures = invitation.events.filter(kind="failed")
    assert [e.kind for e in invitation.events.all()] == ["queued", "failed", "failed", "sent"]
    assert all("SMTPServerDisconnected" in e.detail for e in failures)
    assert invitation.last_error == "" and invitation.sent_at is not None
    assert len(mail.outbox) == 1
