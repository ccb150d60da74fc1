"""A deactivated user is logged out everywhere, and switching the account back on does not revive them."""

from django.test import Client

from accounts.models import User, UserSession
from tests.conftest import PASSWORD
from tests.factories import UserFactory


def _logged_in(user) -> Client:
    browser = Client()
    assert browser.post("/cuentas/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_sessions_know_their_user(accountant):
    _logged_in(accountant)
    _logged_in(accountant)
    assert UserSession.objects.filter(user_id=accountant.pk).count() == 2


def test_deactivating_in_the_admin_ends_every_session_and_reactivation_does_not_revive_them(accountant):
    office, phone = _logged_in(accountant), _logged_in(accountant)
    other = _logged_in(UserFactory())
    admin = Client()
    admin.force_login(User.objects.create_superuser(email="admin@example.com", password=PASSWORD))
    change = f"/admin/accounts/user/{accountant.pk}/change/"
    fields = {"email": accountant.email, "full_name": accountant.full_name, "language": "es-co"}
    assert admin.post(change, {**fields, "is_active": ""}).status_code == 302
    assert not UserSession.objects.filter(user_id=accountant.pk).exists()
    assert admin.post(change, {**fields, "is_active": "on"}).status_code == 302
    for browser in (office, phone):
        response = browser.get("/contador/")
        assert response.status_code == 302 and response.url.startswith("/cuentas/login/")
    assert other.get("/contador/").status_code == 200  # nobody else is logged out


def test_a_save_that_keeps_the_account_active_ends_nothing(accountant):
    browser = _logged_in(accountant)
    user = User.objects.get(pk=accountant.pk)
    user.full_name = "Otro nombre"
    user.save()
    assert browser.get("/contador/").status_code == 200
