"""Two requests at once for the same new client: no IntegrityError reaches the page."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import User
from firms.models import Company, WorkspaceMember
from invitations.models import Invitation
from tests.factories import UserFactory, WorkspaceMemberFactory
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


# Team invitations answered at the same moment ---------------------------------------------------------


def _at_once(*answers) -> list:
    """Run each answer in its own thread (its own connection), all released together; returns what each
    returned or raised, in order."""
    barrier = threading.Barrier(len(answers))
    results = [None] * len(answers)

    def run(index, answer):
        try:
            barrier.wait(timeout=10)
            results[index] = answer()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(answers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_workspaces_invitations_accepted_at_once_make_one_membership_and_leave_the_other_open():
    from invitations.services.answer import invitation_accept
    from invitations.services.common import InvitationError
    from invitations.services.team import team_invite

    person = UserFactory()
    first, second = (WorkspaceMemberFactory() for _ in range(2))
    invitations = [
        team_invite(workspace=m.workspace, email=person.email, role="accountant", invited_by=m.user)
        for m in (first, second)
    ]
    results = _at_once(*(lambda i=i: invitation_accept(invitation=i, user=person) for i in invitations))

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvitationError), results  # told, never a 500
    (member,) = WorkspaceMember.objects.filter(user=person)  # an account works in one workspace
    statuses = {i.workspace_id: i.status for i in Invitation.objects.all()}
    other = second if member.workspace == first.workspace else first
    # The other workspace's invitation stays open: it can still be declined, or sent to another address.
    assert statuses == {member.workspace_id: "accepted", other.workspace_id: "queued"}


def test_two_people_accepting_the_same_workspaces_invitations_at_once_both_join():
    from invitations.services.answer import invitation_accept
    from invitations.services.team import team_invite

    owner = WorkspaceMemberFactory()
    people = [UserFactory(), UserFactory()]
    invitations = [
        team_invite(workspace=owner.workspace, email=p.email, role="assistant", invited_by=owner.user)
        for p in people
    ]
    results = _at_once(
        *(
            lambda i=i, p=p: invitation_accept(invitation=i, user=p)
            for i, p in zip(invitations, people, strict=True)
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(owner.workspace.members.values_list("user_id", flat=True)) == {
        owner.user_id,
        *(p.pk for p in people),
    }
    for invitation, person in zip(invitations, people, strict=True):
        invitation.refresh_from_db()
        assert (invitation.status, invitation.responded_by) == (
            "accepted",
            person,
        )  # each answered by its own
