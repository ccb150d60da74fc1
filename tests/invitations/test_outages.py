"""A client created or a link requested while Redis is down: the invitation says it is pending sending,
can be sent again, and the beat job sends it once Redis is back (a real redis-server, killed; a real
worker). A client's answer while Redis is down: saved, and the accountant's e-mail goes once it is back."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from core.models import OutgoingEmail
from core.services import outgoing_emails_requeue as outgoing_emails_requeue_task
from firms.models import CompanyAccess, Notice
from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.deliver import invitations_requeue
from invitations.services.deliver import invitations_requeue as invitations_requeue_task
from tests.factories import CompanyFactory, CompanyMemberFactory
from tests.outages import broker_at, wait_for

from .conftest import deliver_all, request_link

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]
CREATE = "/contador/clientes/nueva-empresa/"


def test_a_client_created_while_redis_is_down_gets_the_invitation_once_it_is_back(
    accountant_client, redis_server, settings
):
    browser = accountant_client
    data = {
        "email": "cliente@example.com",
        "password": "Clave-Temporal-9",
        "name": "Café Macondo S.A.S.",
        "country": "CO",
        "tax_id": "901234567-7",
    }
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        created = browser.post(CREATE, data)
        assert created.status_code == 302 and created.url.startswith("/c/")
        invitation = Invitation.objects.get()
        assert (invitation.status, invitation.attempts) == ("queued", 0)
        listing = browser.get("/contador/").content.decode()
        assert "Pendiente de envío" in listing and "Reenviar" in listing

        resent = browser.post(f"/contador/clientes/vinculos/{invitation.access_id}/reenviar/", follow=True)
        body = resent.content.decode()
        assert "hace menos de 10 minutos" not in body and "se está enviando de nuevo" in body  # none went out
        assert Invitation.objects.get().status == "queued"

        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        redis_server.start()
        assert invitations_requeue() == 1  # the beat job
        assert invitations_requeue() == 0  # queued once, not at every beat
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: Invitation.objects.get().status == "sent", 30)
    assert [m.to for m in mail.outbox] == [["cliente@example.com"]]
    assert Invitation.objects.get().attempts == 1 and Invitation.objects.get().tokens.count() == 1


def test_a_link_requested_while_redis_is_down_reaches_the_company_once_it_is_back(
    accountant_client, redis_server, settings
):
    company = CompanyFactory(tax_id="901234567", check_digit="7")
    owner = CompanyMemberFactory(company=company, role="owner").user
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        added = accountant_client.post(
            "/contador/clientes/anadir/", {"name": "Café", "country": "CO", "tax_id": "901.234.567-7"}
        )
        assert added.status_code == 200 and "No pudimos" not in added.content.decode()
        access = CompanyAccess.objects.get()
        assert access.status == "pending" and access.dispatch_queued_at is not None
        assert not Invitation.objects.exists()  # the worker never got the request

        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        redis_server.start()
        assert invitations_requeue_task() == 1  # the beat job
        assert invitations_requeue_task() == 0  # queued once, not at every beat
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: Invitation.objects.filter(status="sent").exists(), 30)
    assert CompanyAccess.objects.get().dispatch_queued_at is None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert Invitation.objects.values_list("status", "attempts").get() == ("sent", 1)


def test_an_answer_while_redis_is_down_is_saved_and_the_notice_email_goes_once_it_is_back(
    client, workspace, accountant, redis_server, settings
):
    """The notice e-mail goes through the outbox like every other e-mail: the page answers, and the outbox's
    beat job queues the e-mail again once the broker is back."""
    company = CompanyFactory(tax_id="901234567", check_digit="7")
    owner = CompanyMemberFactory(company=company, role="owner").user
    request_link(workspace, accountant, tax_id=TaxId("901234567", "7"))
    (token,) = deliver_all()
    mail.outbox.clear()
    client.force_login(owner)
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        answered = client.post(f"/invitaciones/{token}/", {"action": "accept"})
        assert answered.status_code == 302 and answered.url == f"/c/{company.slug}/contadores/"
        assert CompanyAccess.objects.get().status == "active"
        notice = Notice.objects.get(user=accountant)
        assert notice.email.status == "pending" and mail.outbox == []

        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        redis_server.start()
        assert outgoing_emails_requeue_task() == 1  # the beat job
        assert outgoing_emails_requeue_task() == 0  # queued once, not at every beat
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: OutgoingEmail.objects.get(pk=notice.email_id).status == "sent", 30)
    assert [m.to for m in mail.outbox] == [[accountant.email]]
    assert "aceptó" in mail.outbox[0].subject
