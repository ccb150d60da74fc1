import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from books.services.catalogs import third_party_create
from tests.queries import page_queries

from ..conftest import post

BASE = "informes/"


@pytest.fixture
def books_data(linked_company, accountant):
    with schema_context(linked_company.schema_name):
        cliente = third_party_create(
            document_type="nit", number="900123456-8", person_type="juridica", business_name="Uno"
        )
        post(accountant, [("111005", 10_000, 0), ("311505", 0, 10_000)], day=date(2026, 1, 2))
        entry = post(
            accountant,
            [("130505", "1234.56", 0), ("413595", 0, "1234.56")],
            day=date(2026, 2, 3),
            third_party=cliente,
        )
        post(accountant, [("519530", 300, 0), ("111005", 0, 300)], day=date(2026, 2, 20))
    return linked_company, entry


def _get(client, company, path, **params):
    return client.get(f"/c/{company.slug}/{BASE}{path}", params)


def test_trial_balance_page_equals_the_command_and_the_xlsx(accountant_client, books_data):
    company, _entry = books_data
    params = {"desde": "2026-02-01", "hasta": "2026-02-28", "nivel": "cuenta"}
    page = _get(accountant_client, company, "balance-de-prueba/", **params).context["rows"]
    out = io.StringIO()
    call_command(
        "trial_balance",
        "--company",
        company.slug,
        "--from",
        "2026-02-01",
        "--to",
        "2026-02-28",
        "--level",
        "cuenta",
        stdout=out,
    )
    command = [row for row in csv.reader(io.StringIO(out.getvalue()))][1:]
    assert [
        [r.code, r.name, f"{r.opening:.2f}", f"{r.debit:.2f}", f"{r.credit:.2f}", f"{r.closing:.2f}"]
        for r in page
    ] == command
    response = _get(accountant_client, company, "balance-de-prueba/", formato="xlsx", **params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == company.name and "900.123.456-8" in sheet["A2"].value
    assert sheet.freeze_panes == "A8"
    assert [cell.value for cell in sheet[7]][:6] == [
        "Código",
        "Cuenta",
        "Saldo anterior",
        "Débitos",
        "Créditos",
        "Nuevo saldo",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]
    assert [[r[0], r[1], *[Decimal(str(v)).quantize(Decimal("0.01")) for v in r[2:6]]] for r in rows] == [
        [r.code, r.name, r.opening, r.debit, r.credit, r.closing] for r in page
    ]
    assert (
        sheet["A8"].data_type == "s"
        and sheet["C8"].data_type == "n"
        and sheet["C8"].number_format == "#,##0.00"
    )


def test_trial_balance_by_tercero_links_each_figure_to_the_auxiliary(accountant_client, books_data):
    company, entry = books_data
    response = _get(
        accountant_client,
        company,
        "balance-de-prueba/",
        desde="2026-02-01",
        hasta="2026-02-28",
        por_tercero="on",
    )
    body = response.content.decode()
    assert "900123456" in body and "Uno" in body
    link = (
        f"/c/{company.slug}/informes/libro-auxiliar/"
        "?desde=2026-02-01&amp;hasta=2026-02-28&amp;cuenta=130505&amp;tercero=900123456"
    )
    assert link in body
    auxiliary = accountant_client.get(link.replace("&amp;", "&")).content.decode()
    assert f"/c/{company.slug}/comprobantes/{entry.pk}/" in auxiliary and "1.234,56" in auxiliary


def test_include_zero_lists_every_account_of_the_range(accountant_client, books_data):
    company, _entry = books_data
    params = {"desde": "2026-02-01", "hasta": "2026-02-28", "cuenta_desde": "1105", "cuenta_hasta": "1110"}
    without = _get(accountant_client, company, "balance-de-prueba/", **params).context["rows"]
    with_zero = _get(accountant_client, company, "balance-de-prueba/", ceros="on", **params).context["rows"]
    assert [r.code for r in without] == ["111005"]
    assert {"110505", "110510", "111005", "111010"} <= {r.code for r in with_zero}


def test_every_report_has_a_page_a_print_view_a_csv_and_an_xlsx(accountant_client, books_data):
    company, _entry = books_data
    dates = {"desde": "2026-01-01", "hasta": "2026-03-31"}
    for path, extra in [
        ("balance-de-prueba/", {}),
        ("libro-auxiliar/", {"cuenta": "1"}),
        ("libro-diario/", {}),
        ("libro-diario/", {"resumen": "on"}),
        ("libro-mayor/", {}),
        ("estados-financieros/", {}),
    ]:
        params = {**dates, **extra}
        assert _get(accountant_client, company, path, **params).status_code == 200, path
        printed = _get(accountant_client, company, path, imprimir="1", **params).content.decode()
        assert company.name in printed and "sidebar" not in printed, path
        text = _get(accountant_client, company, path, formato="csv", **params).content.decode("utf-8-sig")
        assert len(text.splitlines()) > 1, path
        workbook = load_workbook(
            io.BytesIO(_get(accountant_client, company, path, formato="xlsx", **params).content)
        )
        assert workbook.active.max_row > 7, path


def test_statements_page_says_it_balances_and_shows_the_signatures(accountant_client, books_data):
    company, _entry = books_data
    accountant_client.post(
        f"/c/{company.slug}/informes/estados-financieros/firmas/",
        {
            "legal_representative": "Rosa Peña",
            "accountant_name": "Laura Gómez",
            "accountant_card": "123456-T",
        },
    )
    body = _get(
        accountant_client, company, "estados-financieros/", desde="2026-01-01", hasta="2026-03-31"
    ).content.decode()
    assert "Activo = Pasivo + Patrimonio" in body
    assert "Rosa Peña" in body and "Laura Gómez" in body and "123456-T" in body
    assert "Revisor fiscal" not in body  # only when the company has one


def test_a_large_file_is_written_by_a_job_with_progress(
    accountant_client, books_data, monkeypatch, django_capture_on_commit_callbacks
):
    from books.models import ReportExport
    from books.tasks import report_export_task

    company, _entry = books_data
    monkeypatch.setattr("books.report_views.INLINE_ROWS", 2)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _get(
            accountant_client,
            company,
            "libro-auxiliar/",
            desde="2026-01-01",
            hasta="2026-03-31",
            cuenta="1",
            formato="xlsx",
        )
    assert response.status_code == 302 and len(callbacks) == 1
    with schema_context(company.schema_name):
        export = ReportExport.objects.get()
    report_export_task.apply(args=[company.pk, export.pk])
    page = accountant_client.get(response.url).content.decode()
    assert "El archivo está listo." in page
    download = accountant_client.get(f"/c/{company.slug}/informes/archivos/{export.pk}/descargar/")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == 7 + 1 + 3  # the header rows, the opening balance, three lines of class 1


def test_report_pages_run_a_fixed_number_of_queries(accountant_client, books_data, accountant):
    company, _entry = books_data
    for path, params in [
        ("balance-de-prueba/", {"por_tercero": "on"}),
        ("libro-auxiliar/", {"cuenta": "1"}),
        ("libro-mayor/", {}),
    ]:
        small = page_queries(
            accountant_client,
            f"/c/{company.slug}/{BASE}{path}",
            {"desde": "2026-01-01", "hasta": "2026-12-31", **params},
        )
        with schema_context(company.schema_name):
            for day in range(1, 21):
                post(accountant, [("110505", day, 0), ("413595", 0, day)], day=date(2026, 4, day))
        large = page_queries(
            accountant_client,
            f"/c/{company.slug}/{BASE}{path}",
            {"desde": "2026-01-01", "hasta": "2026-12-31", **params},
        )
        assert large == small, path


def test_an_export_without_a_sign_of_life_is_queued_again_as_its_page_polls(accountant_client, books_data):
    """Its queueing was lost (the broker was down) or its worker died: the page it polls queues it again,
    once, not at every poll."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from books.models import ReportExport

    company, _entry = books_data
    with schema_context(company.schema_name):
        export = ReportExport.objects.create(kind="auxiliary", fmt="csv", params={"start": "2026-01-01"})
    page = f"/c/{company.slug}/informes/archivos/{export.pk}/"
    with mock.patch("books.reports.jobs.enqueue", return_value=True) as queued:
        accountant_client.get(page, HTTP_HX_REQUEST="true")
        assert queued.call_count == 0  # a fresh export is left to its worker
        with schema_context(company.schema_name):
            ReportExport.objects.filter(pk=export.pk).update(
                status="running", done_rows=40, progress_at=timezone.now() - timedelta(minutes=6)
            )
        accountant_client.get(page, HTTP_HX_REQUEST="true")
        accountant_client.get(page, HTTP_HX_REQUEST="true")
    assert [c.args[1:] for c in queued.call_args_list] == [(company.pk, export.pk)]
    with schema_context(company.schema_name):
        assert ReportExport.objects.get(pk=export.pk).status == "queued"
