"""Main flow in Chromium: sign up, empty workspace, an admin adds a company, the switcher enters it."""

import pytest

from accounts.models import User
from firms.models import Company
from tests.schemas import drop_schema

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_admin_company_switcher_and_chart_of_accounts(live_server, new_page, shot):
    accountant = new_page()
    accountant.goto(f"{live_server.url}/cuentas/signup/")
    accountant.get_by_label("Tu nombre").fill("Laura Peña")
    accountant.get_by_label("Correo electrónico").fill("laura@contadores.co")
    accountant.locator("#id_password1").fill("Balance-General-2026")
    accountant.locator("#id_password2").fill("Balance-General-2026")
    accountant.get_by_label("Nombre de tu firma contable").fill("Peña Contadores")
    shot(accountant, "01-signup")
    accountant.get_by_role("button", name="Registrarse").click()

    accountant.wait_for_url(f"{live_server.url}/contador/")
    assert accountant.get_by_role("heading", name="Tablero de clientes", exact=True).is_visible()
    assert accountant.get_by_text("Aún no tienes empresas vinculadas").is_visible()
    assert accountant.get_by_text("Tu prueba gratis termina en 15 días").is_visible()
    shot(accountant, "02-empty-workspace")

    User.objects.create_superuser(email="admin@example.com", password="Admin-Clave-2026")
    admin = new_page()
    admin.goto(f"{live_server.url}/admin/firms/company/add/")
    admin.get_by_label("Correo electrónico").fill("admin@example.com")
    admin.get_by_label("Contraseña").fill("Admin-Clave-2026")
    admin.get_by_role("button", name="Iniciar sesión").click()
    admin.wait_for_url("**/admin/firms/company/add/")
    admin.locator("#id_name").fill("Panadería Peña Hermanos S.A.S.")
    admin.locator("#id_tax_id").fill("901.234.567")
    admin.locator("#id_check_digit").fill("7")
    admin.locator("#id_sector").select_option("C")
    admin.locator("input[name=tax_responsibilities][value='48']").check()
    admin.locator("#accesses-group .add-row a").click()
    admin.locator("#accesses-0 .field-workspace .select2-selection").click()
    admin.locator(".select2-search__field").fill("Peña Contadores")
    admin.locator(".select2-results__option", has_text="Peña Contadores").click()
    admin.locator("#id_accesses-0-status").select_option("active")
    shot(admin, "03-admin-company")
    admin.get_by_role("button", name="Guardar", exact=True).click()
    admin.wait_for_url("**/admin/firms/company/")
    company = Company.objects.get(tax_id="901234567")
    assert company.check_digit == "7" and company.tax_responsibilities == ["48"]

    try:
        accountant.reload()
        row = accountant.get_by_role("row", name="Panadería Peña Hermanos S.A.S.")
        assert row.get_by_text("901.234.567-7").is_visible()
        assert row.get_by_text("Activo").is_visible()
        shot(accountant, "04-company-listed")

        switcher = accountant.get_by_placeholder("Ir a una empresa…")
        switcher.click()
        switcher.fill("pena")
        accountant.locator(
            "#switcher-results .switcher-option", has_text="Panadería Peña Hermanos"
        ).wait_for()
        shot(accountant, "05-switcher")
        switcher.press("Enter")
        accountant.wait_for_url(f"{live_server.url}/c/{company.slug}/")
        assert accountant.get_by_role("heading", name="Panadería Peña Hermanos S.A.S.").is_visible()
        shot(accountant, "06-company-home")

        accountant.get_by_role("link", name="Plan de cuentas").first.click()
        accountant.wait_for_url(f"**/c/{company.slug}/cuentas/")
        assert accountant.get_by_role("link", name="ACTIVO", exact=True).is_visible()
        accountant.get_by_role("link", name="ACTIVO", exact=True).click()
        assert accountant.get_by_role("link", name="DISPONIBLE").is_visible()
        accountant.locator("#account-q").fill("caja")
        accountant.locator("#account-rows", has_text="CAJA GENERAL").wait_for()
        shot(accountant, "07-chart-of-accounts")
    finally:
        drop_schema(company.schema_name)
