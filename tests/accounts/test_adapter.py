"""allauth's adapter: the client address behind the reverse proxy, limits that fit an office,
e-mails through the outbox that link to SITE_URL in the product's voice."""

import json
import re
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client, RequestFactory

from accountant_portal.settings import base
from accounts.adapter import AccountAdapter
from core.crypto import unseal
from core.emails import DeliveryFailed
from core.models import OutgoingEmail
from core.services import outgoing_email_send, outgoing_emails_requeue
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.outages import broker_at, cache_settings, free_port, wait_for
from tests.outbox import send_outbox

from .test_signup import SIGNUP

LOGIN = "/cuentas/login/"
PROXY = "10.0.0.2"


@pytest.fixture
def limits(settings, redis_server):
    """The production rate limits, counted in a Redis of the test's own."""
    settings.ACCOUNT_RATE_LIMITS = dict(base.ACCOUNT_RATE_LIMITS)
    settings.CACHES = cache_settings(redis_server.url)
    return settings


def _login(client, email, password, **headers):
    return client.post(LOGIN, {"login": email, "password": password}, **headers)


def test_an_office_of_50_behind_one_address_logs_in_on_a_monday_morning(db, limits):
    staff = [UserFactory() for _ in range(50)]
    for number, user in enumerate(staff):
        browser = Client(REMOTE_ADDR="190.24.1.10")  # the office's one public address
        if number % 4 == 0:  # every fourth person mistypes the password first
            assert _login(browser, user.email, "clave-mal-escrita").status_code == 200
        response = _login(browser, user.email, PASSWORD)
        assert response.status_code == 302, f"person {number} was refused"


def test_behind_the_proxy_the_limits_count_the_real_client_address(db, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip,5/5m/key"}
    attacker = Client(REMOTE_ADDR=PROXY)
    for number in range(3):
        # The attacker writes an X-Forwarded-For of its own; the proxy appends the real address.
        headers = {"HTTP_X_FORWARDED_FOR": f"1.1.1.{number}, 203.0.113.7"}
        assert _login(attacker, f"nadie{number}@example.com", "x", **headers).status_code == 200
    colleague = UserFactory()
    blocked = _login(attacker, colleague.email, PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert blocked.status_code == 200 and "demasiados" in blocked.content.decode().lower()
    office = Client(REMOTE_ADDR=PROXY)  # another person behind the same proxy
    assert _login(office, colleague.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(db, limits):
    limits.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip,5/5m/key"}
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(3):
        _login(attacker, f"nadie{number}@example.com", "x", HTTP_X_FORWARDED_FOR=f"1.1.1.{number}")
    user = UserFactory()
    blocked = _login(attacker, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert "demasiados" in blocked.content.decode().lower()


def test_each_account_is_still_locked_after_5_failures_from_any_address(db, limits):
    user = UserFactory()
    for number in range(5):
        _login(Client(REMOTE_ADDR=f"198.51.100.{number}"), user.email, "x")
    locked = _login(Client(REMOTE_ADDR="198.51.100.99"), user.email, PASSWORD)
    assert locked.status_code == 200 and "demasiados" in locked.content.decode().lower()


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: the request did not come through them
        (1, "", PROXY),
        (1, "no-es-una-direccion", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_the_one_the_trusted_proxies_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert AccountAdapter(request).get_client_ip(request) == expected


# allauth's e-mails --------------------------------------------------------------------------------

RESET = "/cuentas/password/reset/"
RESET_LINK = re.compile(r"/cuentas/password/reset/key/([0-9a-z]+-[0-9A-Za-z\-]+)/")


@pytest.fixture
def smtp_down(settings):
    """A real SMTP backend pointed at a port where no mail server answers."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    return settings


def test_password_reset_page_works_while_the_mail_server_is_down(client, accountant, smtp_down):
    response = client.post(RESET, {"email": accountant.email})
    assert response.status_code == 302 and response.url == "/cuentas/password/reset/done/"
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.status) == ("account/email/password_reset_key", "pending")
    with pytest.raises(DeliveryFailed, match="ConnectionRefusedError"):
        outgoing_email_send(email_id=email.pk)  # what the task does; Celery retries it with back-off
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1) and "ConnectionRefusedError" in email.last_error

    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert outgoing_email_send(email_id=email.pk) is True
    assert outgoing_email_send(email_id=email.pk) is False  # a retry delivered late sends nothing twice
    (message,) = mail.outbox
    assert message.to == [accountant.email]
    assert message.subject == "Elige una contraseña nueva para Portal Contador"
    key = RESET_LINK.search(message.body).group(1)
    form = client.get(f"/cuentas/password/reset/key/{key}/", follow=True)
    assert form.status_code == 200 and 'name="password1"' in form.content.decode()


def test_the_reset_link_waits_sealed_and_is_erased_once_sent(
    client, accountant, redis_server, django_capture_on_commit_callbacks
):
    with broker_at(redis_server.url), django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": accountant.email})
    email = OutgoingEmail.objects.get()
    ((task, args),) = redis_server.queued_task_args()
    assert (task, args) == ("core.tasks.outgoing_email_send_task", [email.pk])  # only the id in Redis
    send_outbox()
    key = RESET_LINK.search(mail.outbox[-1].body).group(1)
    assert key.split("-", 1)[1] not in json.dumps(redis_server.queued_task_args())
    sealed = OutgoingEmail.objects.filter(pk=email.pk).values_list("sealed_message", flat=True).get()
    assert sealed == ""  # erased once sent


def test_the_sealed_message_does_not_hold_the_link_in_clear(client, accountant):
    client.post(RESET, {"email": accountant.email})
    sealed = OutgoingEmail.objects.get().sealed_message
    assert "reset" not in sealed and accountant.email not in sealed and "/cuentas/" not in sealed
    assert "/cuentas/password/reset/key/" in json.loads(unseal(sealed, max_age_seconds=60))["body"]


def test_signup_confirmation_and_every_allauth_e_mail_go_through_the_outbox(client, db, mailoutbox):
    client.post("/cuentas/signup/", SIGNUP)
    client.logout()
    client.post(RESET, {"email": "nadie@example.com"})  # unknown account: allauth says so by e-mail
    assert mailoutbox == []
    assert sorted(OutgoingEmail.objects.values_list("kind", flat=True)) == [
        "account/email/email_confirmation_signup",
        "account/email/unknown_account",
    ]
    sent = send_outbox()
    assert [m.to for m in sent] == [["laura@contadores.co"], ["nadie@example.com"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_queue")
def test_password_reset_while_redis_is_down_is_sent_once_it_is_back(redis_server, settings):
    user = UserFactory()
    browser = Client()
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        response = browser.post(RESET, {"email": user.email})
        assert response.status_code == 302  # the page works; the e-mail waits in the outbox
        assert OutgoingEmail.objects.get().status == "pending"
        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        redis_server.start()
        assert outgoing_emails_requeue() == 1  # the beat job
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: OutgoingEmail.objects.get().status == "sent", 30)
    (message,) = mail.outbox
    assert message.to == [user.email] and RESET_LINK.search(message.body)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://localhost:8111"
    return settings.SITE_URL


def test_password_reset_email_links_to_site_url_in_the_products_voice(client, site, db):
    user = UserFactory(email="laura@contadores.co")
    client.post("/cuentas/password/reset/", {"email": user.email}, HTTP_HOST="127.0.0.1")
    message = send_outbox()[-1]
    assert message.subject == "Elige una contraseña nueva para Portal Contador"
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(f"{site}/cuentas/password/reset/key/")
    assert "127.0.0.1" not in message.body and "testserver" not in message.body
    assert "Hola de parte de" not in message.body and "Portal Contador" in message.body
    html = message.alternatives[0][0]
    assert link in html
    assert client.get(link.removeprefix(site)).status_code in (200, 302)  # the link works


def test_signup_confirmation_email_links_to_site_url(client, site, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post(
        "/cuentas/signup/",
        {
            "full_name": "Laura Peña",
            "email": "laura@contadores.co",
            "password1": "Balance-General-2026",
            "password2": "Balance-General-2026",
            "workspace_name": "Peña Contadores",
            "country": "CO",
        },
    )
    message = send_outbox()[-1]
    assert message.subject == "Confirma tu correo en Portal Contador"
    assert f"{site}/cuentas/confirm-email/" in message.body
    assert "Hola de parte de" not in message.body


def test_unknown_account_email_offers_signup_on_site_url(client, site, db):
    client.post("/cuentas/password/reset/", {"email": "nadie@example.com"})
    message = send_outbox()[-1]
    assert message.subject == "No hay una cuenta de Portal Contador con este correo"
    assert f"{site}/cuentas/signup/" in message.body


def test_allauth_pages_speak_tu(client, db):
    for url in ("/cuentas/login/", "/cuentas/password/reset/", "/cuentas/signup/"):
        body = client.get(url).content.decode()
        for formal in ("usted", "Ha olvidado su", "Introduzca", "¿Ya tiene una cuenta?", "su contraseña"):
            assert formal not in body, (url, formal)
    assert "¿Olvidaste tu contraseña?" in client.get("/cuentas/login/").content.decode()
