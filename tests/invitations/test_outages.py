"""A client created while Redis is down: the invitation says it is pending sending, can be sent again,
and the beat job sends it once Redis is back (a real redis-server, killed; a real worker)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from invitations.models import Invitation
from invitations.services.deliver import invitations_requeue
from tests.outages import broker_at, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]
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

        settings.QUEUE_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        redis_server.start()
        assert invitations_requeue() == 1  # the beat job
        assert invitations_requeue() == 0  # queued once, not at every beat
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: Invitation.objects.get().status == "sent", 30)
    assert [m.to for m in mail.outbox] == [["cliente@example.com"]]
