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


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]


def _printed(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


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
    *rows, totals = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]
    assert [[r[0], r[1], *[Decimal(str(v)).quantize(Decimal("0.01")) for v in r[2:6]]] for r in rows] == [
        [r.code, r.name, r.opening, r.debit, r.credit, r.closing] for r in page
    ]
    assert totals[0] == "Totales" and totals[3] == totals[4] == float(sum(r.debit for r in page))
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
        printed = _printed(_get(accountant_client, company, path, imprimir="1", **params))
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
    monkeypatch.setattr("books.views.reports.INLINE_ROWS", 2)
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
    assert download["Content-Disposition"].endswith('"libro-auxiliar_900123456_2026-01-01_2026-03-31.xlsx"')
    sheet = load_workbook(io.BytesIO(download.content)).active
    # The header rows; 111005 (opening, two lines, subtotal), 130505 (opening, a line, subtotal); the totals.
    assert sheet.max_row == 7 + 4 + 3 + 1


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
    with mock.patch("core.queue.enqueue", return_value=True) as queued:
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


# The libro auxiliar of several accounts, and by tercero -----------------------------------------------


@pytest.fixture
def two_cash_accounts(books_data, accountant):
    """Caja (110505) and bancos (111005), both under 11, with their own balances before February: 500 and
    10,000. In February caja takes 200 (to 700) and bancos pays 300 (to 9,700). One running balance across
    the two would say 10,700 and 10,400; one across their lines only, 700 and 9,900."""
    company, entry = books_data
    with schema_context(company.schema_name):
        post(accountant, [("110505", 500, 0), ("413595", 0, 500)], day=date(2026, 1, 5))
        post(accountant, [("110505", 200, 0), ("413595", 0, 200)], day=date(2026, 2, 10))
    return company


def test_the_auxiliary_of_several_accounts_keeps_one_balance_per_account(
    accountant_client, two_cash_accounts
):
    company = two_cash_accounts
    params = {"desde": "2026-02-01", "hasta": "2026-02-28", "cuenta": "11"}
    response = _get(accountant_client, company, "libro-auxiliar/", **params)
    ledger = response.context["ledger"]
    groups = [(g.account, g.opening, g.debit, g.credit, g.closing) for g in ledger.groups]
    assert groups == [
        ("110505", Decimal(500), Decimal(200), Decimal(0), Decimal(700)),
        ("111005", Decimal(10_000), Decimal(0), Decimal(300), Decimal(9_700)),
    ]
    lines = [item.line for item in ledger.items if item.kind == "line"]
    assert [(line.account, line.balance) for line in lines] == [("110505", 700), ("111005", 9_700)]
    body = response.content.decode()
    assert "Total 110505 y nuevo saldo" in body and "Total 111005 y nuevo saldo" in body
    assert "9.700,00" in body and "10.400,00" in body  # bancos' balance; the totals' closing balance
    printed = _printed(_get(accountant_client, company, "libro-auxiliar/", imprimir="1", **params))
    assert (
        printed.count("Saldo anterior") == 2
        and "9.700,00" in printed
        and "Total 111005 y nuevo saldo" in printed
    )

    rows = _csv_rows(_get(accountant_client, company, "libro-auxiliar/", formato="csv", **params))
    assert rows[0] == [
        "Cuenta", "Nombre de la cuenta", "Fecha", "Comprobante", "NIT", "DV", "Tercero", "Centro de costo",
        "Descripción", "Débito", "Crédito", "Saldo",
    ]  # fmt: skip
    assert [(row[0], row[8], row[9], row[10], row[11]) for row in rows[1:]] == [
        ("110505", "Saldo anterior", "", "", "500,00"),
        ("110505", "Prueba", "200,00", "0,00", "700,00"),
        ("110505", "Total y nuevo saldo", "200,00", "0,00", "700,00"),
        ("111005", "Saldo anterior", "", "", "10000,00"),
        ("111005", "Prueba", "0,00", "300,00", "9700,00"),
        ("111005", "Total y nuevo saldo", "0,00", "300,00", "9700,00"),
        ("Totales", "", "200,00", "300,00", "10400,00"),
    ]
    rows = _xlsx_rows(_get(accountant_client, company, "libro-auxiliar/", formato="xlsx", **params))
    assert [(row[0], row[8], row[11]) for row in rows] == [
        ("110505", "Saldo anterior", 500),
        ("110505", "Prueba", 700),
        ("110505", "Total y nuevo saldo", 700),
        ("111005", "Saldo anterior", 10_000),
        ("111005", "Prueba", 9_700),
        ("111005", "Total y nuevo saldo", 9_700),
        ("Totales", None, 10_400),
    ]


def test_the_auxiliary_by_tercero_keeps_one_balance_per_tercero_in_each_account(
    accountant_client, books_data, accountant
):
    """130505 holds 1,234.56 of tercero Uno (900123456-8) and 100 without tercero before March; in March 50
    without tercero and 10 of Uno. By tercero each runs its own balance: 150 and 1,244.56."""
    from books.models import ThirdParty

    company, _entry = books_data
    with schema_context(company.schema_name):
        uno = ThirdParty.objects.get(number="900123456")
        post(accountant, [("130505", 100, 0), ("413595", 0, 100)], day=date(2026, 1, 20))
        post(accountant, [("130505", 50, 0), ("413595", 0, 50)], day=date(2026, 3, 2))
        post(accountant, [("130505", 10, 0), ("413595", 0, 10)], day=date(2026, 3, 5), third_party=uno)
    params = {"desde": "2026-03-01", "hasta": "2026-03-31", "cuenta": "13", "por_tercero": "on"}
    ledger = _get(accountant_client, company, "libro-auxiliar/", **params).context["ledger"]
    assert [(g.account, g.nit, g.check_digit, g.opening, g.closing) for g in ledger.groups] == [
        ("130505", "", "", Decimal(100), Decimal(150)),
        ("130505", "900123456", "8", Decimal("1234.56"), Decimal("1244.56")),
    ]
    assert [item.line.balance for item in ledger.items if item.kind == "line"] == [150, Decimal("1244.56")]
    without = _get(accountant_client, company, "libro-auxiliar/", **{**params, "por_tercero": ""})
    assert [item.line.balance for item in without.context["ledger"].items if item.kind == "line"] == [
        Decimal("1384.56"),  # one account, one balance: what "by tercero" splits
        Decimal("1394.56"),
    ]
    rows = _csv_rows(_get(accountant_client, company, "libro-auxiliar/", formato="csv", **params))
    assert [(row[0], row[4], row[5], row[6], row[8], row[11]) for row in rows[1:]] == [
        ("130505", "", "", "", "Saldo anterior", "100,00"),
        ("130505", "", "", "", "Prueba", "150,00"),
        ("130505", "", "", "", "Total y nuevo saldo", "150,00"),
        ("130505", "900123456", "8", "Uno", "Saldo anterior", "1234,56"),
        ("130505", "900123456", "8", "Uno", "Prueba", "1244,56"),
        ("130505", "900123456", "8", "Uno", "Total y nuevo saldo", "1244,56"),
        ("Totales", "", "", "", "", "1394,56"),
    ]


def test_a_tercero_without_an_account_is_grouped_by_account(accountant_client, books_data):
    """Tercero Uno moved 130505 (debit) and 413595 (credit) in February: two groups, each from zero."""
    company, _entry = books_data
    params = {"desde": "2026-02-01", "hasta": "2026-02-28", "tercero": "900123456"}
    ledger = _get(accountant_client, company, "libro-auxiliar/", **params).context["ledger"]
    assert [(item.group.account, item.line.balance) for item in ledger.items if item.kind == "line"] == [
        ("130505", Decimal("1234.56")),
        ("413595", Decimal("-1234.56")),
    ]


# Print views of the whole period ----------------------------------------------------------------------


def test_the_print_view_of_the_journal_and_the_auxiliary_prints_the_whole_period(
    accountant_client, books_data, accountant
):
    """60 comprobantes: the screen shows 50 per page, the print view every one of them (streamed)."""
    company, _entry = books_data
    with schema_context(company.schema_name):
        labels = [
            post(accountant, [("110505", day, 0), ("413595", 0, day)], day=date(2026, 3, 1 + day % 28)).label
            for day in range(1, 61)
        ]
    dates = {"desde": "2026-03-01", "hasta": "2026-03-31"}
    screen = _get(accountant_client, company, "libro-diario/", **dates).content.decode()
    assert sum(f">{label}<" in screen for label in labels) == 50
    response = _get(accountant_client, company, "libro-diario/", imprimir="1", **dates)
    assert response.streaming
    printed = _printed(response)
    assert all(f"{label} ·" in printed for label in labels) and "sidebar" not in printed
    assert printed.rstrip().endswith("</html>")
    response = _get(accountant_client, company, "libro-auxiliar/", imprimir="1", cuenta="110505", **dates)
    printed = _printed(response)
    assert all(label in printed for label in labels) and "Página" not in printed  # no screen pagination
    assert "Total 110505 y nuevo saldo" in printed


# Files: totals, names, check digits, the company's name -----------------------------------------------------


def test_every_report_file_ends_with_its_totals_and_is_named_for_company_report_and_period(
    accountant_client, books_data
):
    company, _entry = books_data
    dates = {"desde": "2026-01-01", "hasta": "2026-03-31"}
    journal = ["11534,56", "11534,56"]  # 10,000 + 1,234.56 + 300 on each side
    for path, extra, name, totals in [
        ("balance-de-prueba/", {}, "balance-de-prueba", ["Totales", "", "0,00", *journal, "0,00"]),
        ("balance-de-prueba/", {"nivel": "grupo"}, "balance-de-prueba-grupo", None),
        ("balance-de-prueba/", {"por_tercero": "on"}, "balance-de-prueba-por-tercero", None),
        ("libro-auxiliar/", {"cuenta": "1"}, "libro-auxiliar", None),
        ("libro-diario/", {}, "libro-diario", ["", "Totales", *[""] * 7, *journal]),
        ("libro-diario/", {"resumen": "on"}, "libro-diario-por-dia-y-tipo",
            ["", "Totales", "", "3", *journal]),
        ("libro-mayor/", {}, "libro-mayor-y-balances", None),
    ]:  # fmt: skip
        for fmt in ("csv", "xlsx"):
            response = _get(accountant_client, company, path, formato=fmt, **dates, **extra)
            assert response["Content-Disposition"] == (
                f'attachment; filename="{name}_900123456_2026-01-01_2026-03-31.{fmt}"'
            ), (path, extra)
        rows = _csv_rows(_get(accountant_client, company, path, formato="csv", **dates, **extra))
        assert "Totales" in rows[-1][:2], (path, extra)
        if totals:
            assert rows[-1] == totals, (path, extra)
    statements = _get(accountant_client, company, "estados-financieros/", formato="xlsx", **dates)
    assert statements["Content-Disposition"].endswith(
        'estados-financieros_900123456_2026-01-01_2026-03-31.xlsx"'
    )


def test_the_trial_balance_by_tercero_has_the_check_digit_in_its_own_column(accountant_client, books_data):
    company, _entry = books_data
    params = {"desde": "2026-02-01", "hasta": "2026-02-28", "por_tercero": "on"}
    sheet = load_workbook(
        io.BytesIO(_get(accountant_client, company, "balance-de-prueba/", formato="xlsx", **params).content)
    ).active
    assert [cell.value for cell in sheet[7]][:5] == ["Código", "Cuenta", "NIT", "DV", "Tercero"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]
    assert ["130505", "NACIONALES", "900123456", "8", "Uno"] in [row[:5] for row in rows]
    assert rows[-1][0] == "Totales" and rows[-1][6] == rows[-1][7]  # debits = credits


def test_the_company_name_in_a1_is_text_like_every_other_cell(accountant_client, books_data):
    from firms.models import Company

    company, _entry = books_data
    name = '=HYPERLINK("http://example.com","Peña")'
    Company.objects.filter(pk=company.pk).update(name=name)
    response = _get(accountant_client, company, "balance-de-prueba/", formato="xlsx", desde="2026-01-01")
    cell = load_workbook(io.BytesIO(response.content)).active["A1"]
    assert cell.value == name and cell.data_type == "s" and cell.quotePrefix and cell.font.b


# The signatures -------------------------------------------------------------------------------------------


def test_the_signature_block_names_each_role_once_without_names(accountant_client, books_data):
    company, _entry = books_data
    for printing in ({}, {"imprimir": "1"}):
        body = _get(accountant_client, company, "estados-financieros/", **printing).content.decode()
        block = body[body.index('<div class="signatures">') :]
        assert block.count("Representante legal") == 1 and block.count("Contador público") == 1
