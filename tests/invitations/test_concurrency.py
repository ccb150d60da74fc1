"""Two requests at once for the same new client: no IntegrityError reaches the page."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import User
from firms.models import Company
from invitations.models import Invitation
from tests.factories import WorkspaceMemberFactory
from tests.schemas import subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)
CREATE = "/contador/clientes/nueva-empresa/"
EMAIL = "cliente.compartido@example.com"


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def test_two_companies_created_at_once_for_the_same_new_client_e_mail_both_end_well():
    accountant = WorkspaceMemberFactory().user
    browser = Client()
    browser.force_login(accountant)
    # Another request (another tab) is creating an account for the same e-mail and has not committed yet.
    with psycopg.connect(subprocess_database_url()) as other:
        _race(other, browser)


def _race(other, browser):
    other.execute(
        "INSERT INTO accounts_user (password, is_superuser, email, full_name, language, tax_reminders, "
        "is_active, awaiting_activation, is_staff, date_joined) "
        "VALUES ('!', false, %s, '', 'es-co', true, false, true, false, now())",
        [EMAIL],
    )
    responses = []
    data = {
        "email": EMAIL,
        "password": "Clave-Temporal-9",
        "name": "Café Macondo S.A.S.",
        "country": "CO",
        "tax_id": "901234567-7",
    }

    def post():
        try:
            responses.append(browser.post(CREATE, data))
        except Exception as error:  # the test client re-raises what would have been a 500
            responses.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=post)
    thread.start()
    deadline = time.monotonic() + 20
    while _lock_waiters() == 0 and time.monotonic() < deadline:  # this request waits on the e-mail
        time.sleep(0.05)
    assert _lock_waiters() > 0, "the request never met the other one"
    other.commit()
    thread.join(timeout=30)

    (response,) = responses
    assert not isinstance(response, Exception), f"server error: {response!r}"
    assert response.status_code == 302 and response.url.startswith("/c/")
    company = Company.objects.get(tax_id="901234567")
    user = User.objects.get(email=EMAIL)
    # The account made by the other request is invited to take this company, as if it had come first.
    invitation = Invitation.objects.get(company=company)
    assert invitation.recipient == user and invitation.kind == "activation"
