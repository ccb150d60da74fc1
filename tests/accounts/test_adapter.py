"""allauth's e-mails: links to SITE_URL (not the request's host) and the product's voice."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://localhost:8111"
    return settings.SITE_URL


def test_password_reset_email_links_to_site_url_in_the_products_voice(client, site, db):
    user = UserFactory(email="laura@contadores.co")
    client.post("/cuentas/password/reset/", {"email": user.email}, HTTP_HOST="127.0.0.1")
    message = mail.outbox[-1]
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
    message = mail.outbox[-1]
    assert message.subject == "Confirma tu correo en Portal Contador"
    assert f"{site}/cuentas/confirm-email/" in message.body
    assert "Hola de parte de" not in message.body


def test_unknown_account_email_offers_signup_on_site_url(client, site, db):
    client.post("/cuentas/password/reset/", {"email": "nadie@example.com"})
    message = mail.outbox[-1]
    assert message.subject == "No hay una cuenta de Portal Contador con este correo"
    assert f"{site}/cuentas/signup/" in message.body


def test_allauth_pages_speak_tu(client, db):
    for url in ("/cuentas/login/", "/cuentas/password/reset/", "/cuentas/signup/"):
        body = client.get(url).content.decode()
        for formal in ("usted", "Ha olvidado su", "Introduzca", "¿Ya tiene una cuenta?", "su contraseña"):
            assert formal not in body, (url, formal)
    assert "¿Olvidaste tu contraseña?" in client.get("/cuentas/login/").content.decode()
