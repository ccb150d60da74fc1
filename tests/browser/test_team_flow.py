"""The team in Chromium: the owner invites a contador, the contador activates the account from the e-mail,
the owner assigns them two of three companies from the list, the contador logs in, sees exactly those two
on the workspace home, and posts a comprobante in one of them."""

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from books.models import Entry
from firms.models import CompanyAccess
from firms.services.provisioning import company_provision
from invitations.models import Invitation
from invitations.services.deliver import invitation_deliver
from tests.factories import CompanyFactory, UserFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

from .pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(/invitaciones/[A-Za-z0-9_\-]+/)")
NEW_PASSWORD = "Contadora-Nueva-2026"


@pytest.fixture
def practice():
    owner = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    names = ["Ferretería El Tornillo S.A.S.", "Panadería La Espiga S.A.S.", "Transportes Del Valle Ltda."]
    companies = [CompanyFactory(name=name, country="CO") for name in names]
    for company in companies:
        CompanyAccess.objects.create(workspace=owner.workspace, company=company, status="active")
    books = company_provision(company_id=companies[0].pk)  # the one the contador posts in
    yield owner.user, companies
    drop_schema(books.schema_name)


def test_invite_assign_two_companies_and_the_member_posts_in_one(live_server, new_page, shot, practice):
    owner, (tornillo, espiga, valle) = practice
    boss = new_page()
    boss.on("dialog", lambda dialog: dialog.accept())
    log_in(boss, live_server.url, owner.email)

    # The owner invites a contador from Equipo.
    boss.get_by_role("navigation").get_by_role("link", name="Equipo").click()
    boss.get_by_label("Correo electrónico").fill("marta.contadora@example.com")
    boss.get_by_label("Rol").select_option("accountant")
    boss.get_by_role("button", name="Enviar invitación").click()
    boss.get_by_text("La invitación a marta.contadora@example.com va en camino").wait_for()
    assert boss.locator(".team-invitations").get_by_text("marta.contadora@example.com").is_visible()
    shot(boss, "team-01-invited")

    # The worker sends the e-mail; the new contador opens its link and activates the account.
    invitation_deliver(invitation_id=Invitation.objects.get(kind="team").pk)
    link = LINK.search(mail.outbox[-1].body).group(1)
    newcomer = new_page(phone=True)
    newcomer.goto(f"{live_server.url}{link}")
    newcomer.get_by_label("Tu nombre").fill("Marta Gómez")
    newcomer.locator("#id_password1").fill(NEW_PASSWORD)
    newcomer.locator("#id_password2").fill(NEW_PASSWORD)
    shot(newcomer, "team-02-activate")
    newcomer.get_by_role("button", name="Activar mi cuenta").click()
    newcomer.get_by_text("Ahora haces parte del equipo").wait_for()
    assert newcomer.get_by_text("Todavía no tienes empresas asignadas").is_visible()

    # The owner assigns two companies at once from the list, Marta as responsable.
    boss.get_by_role("link", name="Empresas vinculadas").first.click()
    boss.get_by_label(f"Seleccionar {tornillo.name}").check()
    boss.get_by_label(f"Seleccionar {espiga.name}").check()
    boss.get_by_label("Asignar las empresas seleccionadas a").select_option(
        label="Marta Gómez (marta.contadora@example.com) · Contador"
    )
    boss.get_by_label("Como responsable").check()
    boss.get_by_role("button", name="Asignar", exact=True).click()
    boss.get_by_text("Asignaste a Marta Gómez a 2 empresas").wait_for()
    assert boss.locator("td[data-label='Responsable']", has_text="Marta Gómez").count() == 2
    shot(boss, "team-03-assigned")

    # Marta logs in: the workspace home lists exactly her two companies.
    member = new_page()
    log_in(member, live_server.url, "marta.contadora@example.com", NEW_PASSWORD)
    rows = member.locator(".company-table tbody .company-name a")
    rows.first.wait_for()
    assert sorted(rows.all_inner_texts()) == sorted([tornillo.name, espiga.name])
    assert member.get_by_text(valle.name).count() == 0
    assert member.get_by_role("link", name="Equipo").count() == 0
    shot(member, "team-04-member-home")

    # She enters one and posts a comprobante.
    member.get_by_role("link", name=tornillo.name).click()
    member.get_by_role("link", name="Comprobantes").click()
    member.get_by_role("link", name="Nuevo comprobante").click()
    member.locator("#id_description").fill("Venta de mostrador")
    member.locator("[data-lines] [data-field=account]").nth(0).fill("110505")
    member.locator("[data-lines] [data-amount=debit]").nth(0).fill("500.000")
    member.locator("[data-lines] [data-field=account]").nth(1).fill("413595")
    member.locator("[data-lines] [data-amount=credit]").nth(1).fill("500.000")
    member.get_by_role("button", name="Contabilizar").click()
    member.get_by_role("heading", name=re.compile("CC-1")).wait_for()
    assert member.get_by_text("Contabilizado", exact=True).first.is_visible()
    shot(member, "team-05-posted")
    with schema_context(tornillo.schema_name):
        entry = Entry.objects.get()
        assert (entry.status, entry.posted_by_name) == ("posted", "Marta Gómez")

    # The company she was not assigned to is not there for her.
    response = member.goto(f"{live_server.url}/c/{valle.slug}/")
    assert response.status == 404
