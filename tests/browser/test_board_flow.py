"""The portfolio board in Chromium: attention first, sorting by a column, the alert filter, the export, and
the phone's cards."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from firms.models import CompanyAssignment, CompanySnapshot
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
    shot(phone, "board-03-phone")
