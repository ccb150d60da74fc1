"""The portfolio board in Chromium: attention first, sorting by a column, the alert filter, the export, and
the phone's cards."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from firms.models import CompanyAssignment, CompanySnapshot
from tests.browser.pages import log_in
from tests.factories import CompanyAccessFactory, CompanyFactory, UserFactory, WorkspaceMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _row(workspace, name, member=None, **figures):
    access = CompanyAccessFactory(
        workspace=workspace, status="active", company=CompanyFactory(name=name, provisioning_status="ready")
    )
    CompanySnapshot.objects.create(
        company=access.company, refreshed_at=timezone.now() - timedelta(minutes=12), **figures
    )
    if member:
        CompanyAssignment.objects.create(access=access, member=member, is_responsible=True)


def test_the_board_shows_what_needs_attention_first(live_server, new_page, shot):
    today = timezone.localdate()
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    workspace = member.workspace
    _row(
        workspace,
        "Ferretería El Tornillo S.A.S.",
        member,
        banks=Decimal("-1250000"),
        against_nature="111005",
        against_nature_count=1,
        receivables=Decimal("8400000"),
        next_due_date=today + timedelta(days=3),
        next_due_obligation="Retención en la fuente",
        next_due_period="2026-11",
        last_entry_date=today,
        last_entry_label="CC-120",
        last_entry_by="Laura Peña",
        result=Decimal("35200000"),
        result_year=today.year,
    )
    _row(workspace, "Panadería La Espiga", banks=Decimal("23500000"), payables=Decimal("4100000"), drafts=2)
    _row(workspace, "Distribuidora Andina", banks=Decimal("980000"), taxes_payable=Decimal("1900000"))

    page = new_page()
    page.goto(f"{live_server.url}/cuentas/login/?next=/contador/")
    page.locator("#id_login").fill(member.user.email)
    page.locator("#id_password").fill("clave-segura-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("heading", name="Tablero de clientes").wait_for()
    rows = page.locator(".board-table tbody tr")
    assert rows.first.locator(".company-name").inner_text().startswith("Ferretería El Tornillo")
    assert "Contra su naturaleza: 111005" in rows.first.inner_text()
    assert "Vence pronto" in rows.first.inner_text() and "Actualizado hace 12" in rows.first.inner_text()
    shot(page, "board-01-attention-first")

    page.get_by_role("link", name="Bancos").click()
    page.wait_for_url("**orden=banks**")
    page.get_by_role("link", name="Bancos ↑").click()
    page.wait_for_url("**orden=-banks**")
    assert rows.first.locator(".company-name").inner_text().startswith("Panadería La Espiga")

    page.locator("#id_alerta").select_option("any")
    page.wait_for_url("**alerta=any**")
    assert rows.count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar CSV").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Ferretería El Tornillo" in content and "Panadería" not in content
    shot(page, "board-02-filtered")

    phone = new_page(phone=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/contador/")
    assert phone.locator(".board-table tbody tr").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # cards, no sideways
    shot(phone, "board-03-phone")
    phone.get_by_text("Columnas", exact=True).click()
    chooser = phone.locator("[data-column-chooser]")
    chooser.get_by_label("Bancos").scroll_into_view_if_needed()
    shot(phone, "board-03-phone-columns", full_page=False)
    assert _inside(phone, chooser.get_by_label("Bancos"))


def _inside(page, locator) -> bool:
    """The element's box lies wholly inside the window."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def _many_columns_board():
    """An owner whose board has every column, long names and every kind of alert."""
    today = timezone.localdate()
    member = WorkspaceMemberFactory(user=UserFactory(full_name="Laura Peña"))
    workspace = member.workspace
    _row(
        workspace,
        "Comercializadora Internacional de Ferretería y Materiales El Tornillo Feliz S.A.S.",
        member,
        banks=Decimal("-1250000"),
        against_nature="111005, 143005",
        against_nature_count=2,
        negative_receivables="Ana Ruiz, Distribuidora Andina S.A.S.",
        negative_receivables_count=2,
        receivables=Decimal("8400000"),
        payables=Decimal("12500000.50"),
        taxes_payable=Decimal("3250000"),
        drafts=3,
        oldest_draft_at=timezone.now() - timedelta(days=45),
        locked_until=today - timedelta(days=60),
        next_due_date=today + timedelta(days=3),
        next_due_obligation="Retención en la fuente",
        next_due_period="2026-11",
        last_entry_date=today,
        last_entry_label="CC-120",
        last_entry_by="Laura Peña",
        result=Decimal("-35200000"),
        result_year=today.year,
    )
    for n in range(5):
        _row(workspace, f"Panadería La Espiga {n}", banks=Decimal("23500000"), payables=Decimal("4100000"))
    return member


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_the_company_its_alerts_and_enter_stay_in_view_on_a_wide_board(live_server, browser, shot, size):
    member = _many_columns_board()
    width, height = size
    context = browser.new_context(locale="es-CO", viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in(page, live_server.url, member.user.email)
        page.get_by_role("heading", name="Tablero de clientes").wait_for()
        row = page.locator(".board-table tbody tr").first
        name = row.locator(".company-name a")
        alerts_header = page.locator(".board-table th.col-alerts")
        enter = row.get_by_role("link", name="Ingresar")
        row.scroll_into_view_if_needed()
        # Every column shows, so the figures do not fit: the table scrolls sideways between the fixed columns.
        scroll = page.locator(".board-scroll")
        assert scroll.evaluate("(box) => box.scrollWidth > box.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.locator(".board-table thead").scroll_into_view_if_needed()
        assert _inside(page, name) and _inside(page, alerts_header) and _inside(page, enter)
        assert "Cartera negativa: Ana Ruiz" in row.locator(".col-alerts").inner_text()
        shot(page, f"board-04-wide-{width}", full_page=False)
        status = page.locator(".board-table th[data-col=status]")
        before = (name.bounding_box()["x"], status.bounding_box()["x"], enter.bounding_box()["x"])
        scroll.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
        page.wait_for_function("document.querySelector('.board-scroll').scrollLeft > 0")
        moved = scroll.evaluate("(box) => box.scrollLeft")
        after = (name.bounding_box()["x"], status.bounding_box()["x"], enter.bounding_box()["x"])
        # The figures moved under the company; the company and the actions stayed where they were.
        assert after[1] == pytest.approx(before[1] - moved, abs=1)
        assert after[0] == pytest.approx(before[0], abs=1) and after[2] == pytest.approx(before[2], abs=2)
        assert _inside(page, name) and _inside(page, alerts_header) and _inside(page, enter)
        shot(page, f"board-05-wide-{width}-scrolled", full_page=False)
    finally:
        context.close()


def test_the_columns_chosen_hide_and_show_and_survive_a_reload(live_server, new_page, browser, shot):
    member = _many_columns_board()
    page = new_page()
    log_in(page, live_server.url, member.user.email)
    banks = page.locator(".board-table th[data-col=banks]")
    suppliers = page.locator(".board-table th[data-col=payables]")
    assert banks.is_visible() and suppliers.is_visible()

    page.get_by_text("Columnas", exact=True).click()
    chooser = page.locator("[data-column-chooser]")
    with page.expect_response("**/contador/tablero/columnas/") as saved:
        chooser.get_by_label("Bancos").uncheck()
    assert saved.value.status == 204
    assert banks.is_hidden()  # at once, before any reload
    with page.expect_response("**/contador/tablero/columnas/"):
        chooser.get_by_label("Proveedores").uncheck()
    shot(page, "board-06-columns-chosen", full_page=False)

    page.reload()
    assert banks.is_hidden() and suppliers.is_hidden()
    assert page.locator(".board-table tbody tr").first.locator("[data-col=banks]").is_hidden()
    assert page.locator(".board-table th[data-col=receivables]").is_visible()
    page.get_by_text("Columnas", exact=True).click()
    assert not chooser.get_by_label("Bancos").is_checked()
    with page.expect_response("**/contador/tablero/columnas/"):
        chooser.get_by_label("Bancos").check()
    page.reload()
    assert banks.is_visible() and suppliers.is_hidden()

    # Without JavaScript: the same choice, saved with "Aplicar", back on the same board.
    context = browser.new_context(
        locale="es-CO", java_script_enabled=False, viewport={"width": 1366, "height": 768}
    )
    try:
        plain = context.new_page()
        log_in(plain, live_server.url, member.user.email, next_url="/contador/?orden=name")
        plain.get_by_text("Columnas", exact=True).click()
        plain.locator("[data-column-chooser]").get_by_label("Proveedores").check()
        plain.locator("[data-column-chooser]").get_by_label("Resultado del ejercicio").uncheck()
        plain.get_by_role("button", name="Aplicar").click()
        plain.wait_for_url("**/contador/?orden=name")
        assert plain.locator(".board-table th[data-col=payables]").is_visible()
        assert plain.locator(".board-table th[data-col=result]").is_hidden()
        shot(plain, "board-07-columns-without-javascript", full_page=False)
    finally:
        context.close()
