"""The main pages run under the Content-Security-Policy without a single violation, htmx included."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.bulk_import.files import csv_bytes
from tests.conftest import PASSWORD
from tests.factories import valid_nit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page meets, as Chromium reports it, kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def _page(new_page):
    page = new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    return page, console


def _visit(page, console, url, shot, name):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    shot(page, f"csp-{name}")
    return response


def _no_violations(page, console, where):
    violations = page.evaluate("window.__cspViolations")
    refused = [text for text in console if "Content Security Policy" in text]
    assert violations == [] and refused == [], f"{where}: {violations} {refused}"


def test_main_pages_load_only_the_apps_own_scripts_and_styles(
    live_server, new_page, shot, accountant, linked_company, tmp_path
):
    page, console = _page(new_page)
    _visit(page, console, f"{live_server.url}/cuentas/login/", shot, "01-login")
    page.locator("#id_login").fill(accountant.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/contador/")
    _no_violations(page, console, "login")

    # htmx: the switcher's results and the account search come in as partials.
    switcher = page.get_by_placeholder("Ir a una empresa…")
    switcher.fill("pena")
    page.locator("#switcher-results .switcher-option").first.wait_for()
    _no_violations(page, console, "switcher")
    chart = reverse("books:account_list", kwargs={"company_slug": linked_company.slug})
    _visit(page, console, f"{live_server.url}{chart}", shot, "02-chart")
    page.locator("#account-q").fill("caja")
    page.locator("#account-rows", has_text="CAJA GENERAL").wait_for()
    _no_violations(page, console, "account search")

    pages = {
        "03-workspace": "/contador/",
        "04-company": linked_company.get_absolute_url(),
        "05-new-account": f"{chart}nueva/?padre=1105",
        "06-add-client": reverse("clients:add"),
        "07-create-client": reverse("clients:create"),
        "08-import": reverse("clients:import"),
        "09-calendar": reverse("tax:calendar"),
        "10-subscription": reverse("tax:subscription"),
        "11-resources": reverse("resources:list"),
        "12-settings": reverse("firms:workspace_settings"),
        "13-plan": reverse("firms:plan"),
        "14-password": reverse("account_change_password"),
        "15-not-found": "/no-existe/",
        "16-bad-request": "/contador/?q=%00",
    }
    for name, url in pages.items():
        _visit(page, console, f"{live_server.url}{url}", shot, name)
        _no_violations(page, console, url)

    # The import's progress bar (once a style="width" attribute) and its polling.
    nit = f"{907_000_001}-{valid_nit(907_000_001)[1]}"
    upload = tmp_path / "clientes.csv"
    upload.write_bytes(csv_bytes([["Panadería La Espiga S.A.S.", nit, "", ""]]))
    page.goto(f"{live_server.url}{reverse('clients:import')}")
    page.locator("input[type=file]").set_input_files(upload)
    page.get_by_role("button", name="Subir y revisar").click()
    page.get_by_role("button", name="Confirmar 1 fila").click()
    page.get_by_role("progressbar").wait_for()
    page.wait_for_timeout(1500)  # a poll or two
    shot(page, "csp-17-import-progress")
    _no_violations(page, console, "import progress")


def test_the_admin_runs_under_the_policy_too(live_server, new_page, shot, linked_company):
    User.objects.create_superuser(email="admin@example.com", password=PASSWORD)
    page, console = _page(new_page)
    _visit(page, console, f"{live_server.url}/admin/", shot, "admin-01-login")
    page.get_by_label("Correo electrónico").fill("admin@example.com")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    for name, url in {
        "admin-02-index": "/admin/",
        "admin-03-companies": "/admin/firms/company/",
        "admin-04-company": f"/admin/firms/company/{linked_company.pk}/change/",
        "admin-05-users": "/admin/accounts/user/",
    }.items():
        _visit(page, console, f"{live_server.url}{url}", shot, name)
        _no_violations(page, console, url)
