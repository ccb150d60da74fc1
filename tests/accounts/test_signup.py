from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from firms.models import Workspace, WorkspaceMember
from tests.outbox import send_outbox

SIGNUP = {
    "full_name": "Laura Peña",
    "email": "laura@contadores.co",
    "password1": "Balance-General-2026",
    "password2": "Balance-General-2026",
    "workspace_name": "Peña Contadores",
    "country": "CO",
}


def test_signup_creates_an_accountant_workspace_with_a_15_day_trial(client, db):
    response = client.post("/cuentas/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="laura@contadores.co")
    membership = WorkspaceMember.objects.select_related("workspace").get(user=user)
    assert membership.role == "owner"
    assert membership.workspace.name == "Peña Contadores"
    assert membership.workspace.trial_ends_on == timezone.localdate() + timedelta(days=15)
    assert membership.workspace.current_plan() == Workspace.Plan.TRIAL
    assert user.full_name == "Laura Peña"


def test_signup_then_lands_in_the_empty_workspace(client, db):
    response = client.post("/cuentas/signup/", SIGNUP, follow=True)
    assert response.request["PATH_INFO"] == "/contador/"
    assert "Empresas vinculadas" in response.content.decode()


def test_signup_refuses_a_taken_email_case_insensitively(client, db):
    client.post("/cuentas/signup/", SIGNUP)
    client.logout()
    response = client.post("/cuentas/signup/", {**SIGNUP, "email": "LAURA@contadores.co"})
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="laura@contadores.co").count() == 1
    assert Workspace.objects.count() == 1


def test_signup_refuses_a_weak_password_in_spanish(client, db):
    response = client.post("/cuentas/signup/", {**SIGNUP, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "contraseña" in response.content.decode().lower()
    assert not User.objects.exists()


def test_login_with_email(client, accountant):
    response = client.post("/cuentas/login/", {"login": accountant.email, "password": "clave-segura-123"})
    assert response.status_code == 302 and response.url == "/contador/"


def test_login_pages_are_in_spanish_by_default_even_for_an_english_browser(client, db):
    body = client.get("/cuentas/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "Iniciar sesión" in body and 'lang="es-co"' in body


def test_english_can_be_selected(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/cuentas/login/"})
    body = client.get("/cuentas/login/").content.decode()
    assert "Sign In" in body and 'lang="en"' in body


def test_passwords_are_hashed_with_argon2_outside_tests():
    from accountant_portal.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_password_reset_sends_an_email_and_answers_the_same_for_unknown_addresses(
    client, accountant, mailoutbox
):
    known = client.post("/cuentas/password/reset/", {"email": accountant.email})
    assert mailoutbox == []  # queued: the worker sends it
    send_outbox()
    assert [m.to for m in mailoutbox] == [[accountant.email]]
    assert "/cuentas/password/reset/key/" in mailoutbox[0].body
    unknown = client.post("/cuentas/password/reset/", {"email": "nadie@example.com"})
    send_outbox()
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert all(
        "/cuentas/password/reset/key/" not in m.body for m in mailoutbox if m.to == ["nadie@example.com"]
    )
