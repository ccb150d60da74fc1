"""Phones (390×844): a menu button reaches every entry, the switcher is full width, lists are cards."""

import re

import pytest

from tests.browser.pages import log_in
from tests.factories import CompanyAccessFactory, CompanyFactory, LinkRequestFactory, WorkspaceMemberFactory
from tests.schemas import drop_schema

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MENU = [
    ("Empresas vinculadas", "/contador/"),
    ("Avisos", "/contador/avisos/"),
    ("Añadir cliente", "/contador/clientes/anadir/"),
    ("Crear empresa para un cliente", "/contador/clientes/nueva-empresa/"),
    ("Añadir múltiples clientes", "/contador/clientes/importar/"),
    ("Indicadores", "/contador/indicadores/"),
    ("Beneficios", "/contador/beneficios/"),
    ("Calendario tributario", "/contador/calendario/"),
    ("Configuración del espacio", "/contador/configuracion/"),
    ("Plan", "/contador/plan/"),
]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_menu(page):
    page.get_by_role("link", name="Menú", exact=True).click()
    menu = page.locator("#menu")
    menu.wait_for(state="visible")
    return menu


def test_a_phone_reaches_every_menu_entry_switches_company_and_enters_one(live_server, new_page, shot):
    accountant = WorkspaceMemberFactory().user
    workspace = accountant.workspace_memberships.get().workspace
    companies = [
        CompanyAccessFactory(
            workspace=workspace,
            company=CompanyFactory(name=name, tax_responsibilities=["05", "48"]),
        ).company
        for name in ("Café El Cafetal de Bucaramanga S.A.S.", "Distribuidora Andina del Caribe Ltda.")
    ]
    LinkRequestFactory(workspace=workspace, name="Ferretería Núñez de Cúcuta & Cía. S.A.S.")
    page = new_page(phone=True)
    try:
        log_in(page, live_server.url, accountant.email)
        page.wait_for_url("**/contador/")

        # The side menu is hidden until the menu button opens it.
        assert not page.locator("#menu").is_visible()
        assert page.get_by_role("link", name="Menú", exact=True).is_visible()
        # The list: one card per company with name, NIT, status and "Ingresar"; no sideways scroll.
        card = page.get_by_role("row", name=re.compile("Café El Cafetal"))
        box = card.bounding_box()
        assert box["width"] <= 390 and card.get_by_role("link", name="Ingresar").is_visible()
        assert (
            card.get_by_text("Activo").is_visible()
            and card.get_by_text(companies[0].formatted_tax_id).is_visible()
        )
        assert (
            page.get_by_role("row", name=re.compile("Ferretería Núñez"))
            .get_by_text("Solicitud enviada")
            .is_visible()
        )
        assert _no_sideways_scroll(page)
        shot(page, "phone-01-list", full_page=False)

        _open_menu(page)
        shot(page, "phone-02-menu", full_page=False)
        page.keyboard.press("Escape")  # closes it
        assert not page.locator("#menu").is_visible()
        for label, path in MENU:
            menu = _open_menu(page)
            menu.get_by_role("link", name=label, exact=True).click()
            page.wait_for_url(f"**{path}")
            assert page.locator("h1").first.is_visible(), path
            assert _no_sideways_scroll(page), path
            assert not page.locator("#menu").is_visible()
        shot(page, "phone-03-plan", full_page=False)

        # The switcher is as wide as the screen; it finds a company by two of its words and enters it.
        switcher = page.get_by_placeholder("Ir a una empresa…")
        assert switcher.bounding_box()["width"] >= 340
        switcher.click()
        switcher.fill("andina caribe")
        option = page.locator("#switcher-results .switcher-option", has_text="Distribuidora Andina")
        option.wait_for()
        shot(page, "phone-04-switcher", full_page=False)
        option.click()
        page.wait_for_url(f"**/c/{companies[1].slug}/")
        assert page.get_by_role("heading", name="Distribuidora Andina del Caribe Ltda.").is_visible()
        assert _no_sideways_scroll(page)

        # The company's menu too: every entry, and its pages fit.
        entries = _open_menu(page).locator("a:not([data-menu-close])").all_inner_texts()
        page.keyboard.press("Escape")
        assert "Datos de la empresa" in entries and "Calendario tributario" in entries
        for label in entries:
            if "Volver" in label:
                continue
            _open_menu(page).get_by_role("link", name=label, exact=True).click()
            page.wait_for_load_state()
            assert page.locator("h1").first.is_visible(), label
            assert _no_sideways_scroll(page), label
        shot(page, "phone-05-company-calendar", full_page=False)
        menu = _open_menu(page)
        menu.get_by_role("link", name="Volver al Espacio Contador").click()
        page.wait_for_url("**/contador/")
        page.get_by_role("row", name=re.compile("Café El Cafetal")).get_by_role(
            "link", name="Ingresar"
        ).click()
        page.wait_for_url(f"**/c/{companies[0].slug}/")
        assert page.get_by_role("heading", name="Café El Cafetal de Bucaramanga S.A.S.").is_visible()
        shot(page, "phone-06-company", full_page=False)
    finally:
        drop_schema(*(company.schema_name for company in companies))
