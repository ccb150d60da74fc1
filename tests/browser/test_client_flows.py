"""The client flows in Chromium, with the e-mails sent by a real Celery worker."""

import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accountant_portal.celery import app
from firms.models import CompanyAccess
from tests.browser.pages import PASSWORD, log_in
from tests.factories import CompanyMemberFactory, UserFactory, WorkspaceMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]


@pytest.fixture
def worker():
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30) as running:
        yield running


def _emailed_link(to: str, base_url: str, seconds=20) -> str:
    """The link of the e-mail sent to `to`, on the live server (SITE_URL is the tests' testserver)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [to]:
                return base_url + re.search(r"/invitaciones/\S+/", message.body).group(0)
        time.sleep(0.2)
    raise AssertionError(f"no e-mail to {to}")


def test_accountant_invites_an_existing_company_and_enters_it(
    live_server, new_page, shot, company_andes, worker
):
    accountant = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña")).user
    admin_user = CompanyMemberFactory(
        company=company_andes, user=UserFactory(email="gerente@andes.co"), role="owner"
    ).user

    page = new_page()
    log_in(page, live_server.url, accountant.email)
    page.get_by_role("link", name="Añadir cliente").first.click()
    page.get_by_label("Razón social").fill("Distribuidora Los Andes")
    page.get_by_label("NIT o identificación tributaria").fill("860.002.964-4")
    page.get_by_role("button", name="Invitar").click()
    assert page.get_by_role("heading", name="Solicitud registrada").is_visible()
    shot(page, "client-01-request-registered")
    page.get_by_role("link", name="Finalizar").click()
    row = page.get_by_role("row", name=re.compile("Distribuidora Los Andes"))
    assert row.get_by_text("Solicitud enviada").first.is_visible()
    assert not row.get_by_role("link", name="Ingresar").count()  # no access before an answer

    link = _emailed_link(admin_user.email, live_server.url)
    page.reload()
    # Until the company answers, the row shows what the accountant typed: not the company's legal name.
    assert row.get_by_text("Solicitud enviada").first.is_visible()
    assert not page.get_by_text("Distribuidora Los Andes Ltda.").count()
    shot(page, "client-02-request-sent")

    client_page = new_page()
    client_page.goto(link)
    assert client_page.get_by_text("Distribuidora Los Andes Ltda.").first.is_visible()
    client_page.get_by_role("link", name="Iniciar sesión").last.click()
    client_page.locator("#id_login").fill(admin_user.email)
    client_page.locator("#id_password").fill(PASSWORD)
    client_page.get_by_role("button", name="Iniciar sesión").click()
    client_page.wait_for_url(link)
    shot(client_page, "client-03-accept-page")
    client_page.get_by_role("button", name="Aceptar").click()
    client_page.wait_for_url(f"**/c/{company_andes.slug}/contadores/")
    assert client_page.get_by_role(
        "cell", name=accountant.workspace_memberships.get().workspace.name
    ).is_visible()
    shot(client_page, "client-04-accountants-with-access")

    page.reload()
    row = page.get_by_role("row", name=re.compile("Distribuidora Los Andes Ltda."))
    assert row.get_by_text("Aceptada").is_visible() and row.get_by_text("Activo").is_visible()
    assert page.locator(".topbar .notices-count").inner_text().startswith("1")  # the acceptance notice
    row.get_by_role("link", name="Ingresar").click()
    page.wait_for_url(f"**/c/{company_andes.slug}/")
    assert page.get_by_role("heading", name="Distribuidora Los Andes Ltda.").is_visible()
    assert CompanyAccess.objects.get(company=company_andes).status == "active"


def test_accountant_creates_an_account_and_the_client_activates_it(live_server, new_page, shot, worker):
    accountant = WorkspaceMemberFactory().user
    page = new_page()
    log_in(page, live_server.url, accountant.email)
    page.get_by_role("link", name="Crear empresa para un cliente").first.click()
    page.get_by_label("Correo electrónico del cliente").fill("dueno@macondo.co")
    page.get_by_label("Contraseña temporal").fill("Temporal-Macondo-1")
    page.get_by_label("Razón social").fill("Café Macondo S.A.S.")
    page.get_by_label("NIT o identificación tributaria").fill("901.234.567-7")
    page.locator("#id_sector").select_option("I")
    page.locator("input[name=tax_responsibilities][value='48']").check()
    shot(page, "create-01-form")
    page.get_by_role("button", name="Crear empresa").click()
    assert page.get_by_role(
        "heading", name="Café Macondo S.A.S."
    ).is_visible()  # the accountant works at once
    company_url = page.url
    shot(page, "create-02-company")

    link = _emailed_link("dueno@macondo.co", live_server.url)
    client_page = new_page()
    client_page.goto(link)
    assert client_page.get_by_role("heading", name="Activa tu cuenta").is_visible()
    client_page.locator("#id_password1").fill("Temporal-Macondo-1")
    client_page.locator("#id_password2").fill("Temporal-Macondo-1")
    client_page.get_by_role("button", name="Activar mi cuenta").click()
    assert client_page.get_by_text("diferente").is_visible()  # the accountant's password never stays
    client_page.locator("#id_password1").fill("Mi-Cafe-Propio-2026")
    client_page.locator("#id_password2").fill("Mi-Cafe-Propio-2026")
    shot(client_page, "create-03-activate")
    client_page.get_by_role("button", name="Activar mi cuenta").click()
    client_page.wait_for_url(company_url)
    assert client_page.get_by_role("heading", name="Café Macondo S.A.S.").is_visible()
    assert client_page.get_by_role("link", name="Contadores con acceso").is_visible()
    shot(client_page, "create-04-client-in-company")
