"""Invitar al cliente in Chromium: an auxiliar of the team does not see it and is refused at its address; the
owner invites the company's client from the company page (an address of the team is refused), and the client
activates the account and enters the company as its owner."""

import re

import pytest
from django.core import mail

from firms.models import CompanyAccess, CompanyAssignment, CompanyMember
from firms.services.provisioning import company_provision
from invitations.models import Invitation
from invitations.services.deliver import invitation_deliver
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

from .pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(/invitaciones/[A-Za-z0-9_\-]+/)")
CLIENT_PASSWORD = "Cliente-Propia-2026"


@pytest.fixture
def practice():
    owner = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    company = company_provision(company_id=CompanyFactory(name="Ferretería El Tornillo S.A.S.").pk)
    access = CompanyAccess.objects.create(workspace=owner.workspace, company=company, status="active")
    auxiliar = WorkspaceMemberFactory(
        workspace=owner.workspace, role="assistant", user=UserFactory(full_name="Pablo Auxiliar")
    )
    CompanyAssignment.objects.create(access=access, member=auxiliar)
    yield owner.user, auxiliar.user, company
    drop_schema(company.schema_name)


def test_the_owner_invites_the_client_and_an_auxiliar_cannot(live_server, new_page, shot, practice):
    owner, auxiliar, company = practice

    # The auxiliar works in the company but is offered no "Invitar al cliente", and its address refuses.
    helper = new_page()
    log_in(helper, live_server.url, auxiliar.email)
    helper.goto(f"{live_server.url}{company.get_absolute_url()}")
    helper.get_by_role("heading", name=company.name).wait_for()
    assert helper.get_by_role("link", name="Invitar al cliente").count() == 0
    response = helper.goto(f"{live_server.url}{company.get_absolute_url()}invitar-cliente/")
    assert response.status == 403
    assert helper.get_by_text("Solo el propietario y los administradores del Espacio Contador").is_visible()
    assert helper.get_by_label("Correo electrónico del cliente").count() == 0
    shot(helper, "client-invite-01-auxiliar-refused")

    # The owner invites from the company page: an address of the team is refused, the client's goes.
    boss = new_page()
    log_in(boss, live_server.url, owner.email)
    boss.goto(f"{live_server.url}{company.get_absolute_url()}")
    boss.get_by_role("link", name="Invitar al cliente").click()
    boss.get_by_label("Correo electrónico del cliente").fill(auxiliar.email)
    boss.get_by_role("button", name="Enviar la invitación").click()
    boss.get_by_text(f"{auxiliar.email} es miembro del equipo del Espacio Contador").wait_for()
    shot(boss, "client-invite-02-team-address-refused")
    boss.get_by_label("Correo electrónico del cliente").fill("gerente@tornillo.example")
    boss.get_by_role("button", name="Enviar la invitación").click()
    boss.get_by_text("La invitación a gerente@tornillo.example va en camino").wait_for()
    shot(boss, "client-invite-03-sent")

    # The worker sends it; the client sets a password and enters the company as its owner.
    invitation_deliver(invitation_id=Invitation.objects.get(kind="activation").pk)
    link = LINK.search(mail.outbox[-1].body).group(1)
    client = new_page(phone=True)
    client.goto(f"{live_server.url}{link}")
    client.locator("#id_password1").fill(CLIENT_PASSWORD)
    client.locator("#id_password2").fill(CLIENT_PASSWORD)
    client.get_by_role("button", name="Activar mi cuenta").click()
    client.get_by_text(f"Tu cuenta está activa. ¡Bienvenido a {company.name}!").wait_for()
    shot(client, "client-invite-04-client-in")
    member = CompanyMember.objects.get(company=company)
    assert (member.user.email, member.role) == ("gerente@tornillo.example", "owner")
    assert not CompanyMember.objects.filter(user=auxiliar).exists()
