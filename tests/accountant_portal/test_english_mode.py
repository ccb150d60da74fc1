"""English mode is English everywhere: the main pages in English show no Spanish-formatted date (dd/mm/yyyy)
or amount (1.234.567,89), no Spanish voucher-type or tax-obligation name; the same walk in Spanish shows
exactly what it always showed."""

import io
import re
from datetime import date

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from django_tenants.utils import schema_context

from books.models import ReportExport
from books.reports.jobs import report_export_queue, report_export_write
from books.reports.tables import ReportParams
from books.services.catalogs import third_party_create
from books.services.periods import period_lock
from firms.services.snapshots import company_snapshots_refresh
from tests.books.conftest import draft, post

from .test_i18n import PO_FILE

# A day after the 12th cannot be read both ways: 25/03/2026 is Spanish, 03/25/2026 English.
SPANISH_DATE = re.compile(r"\b(1[3-9]|2\d|3[01])/(0[1-9]|1[0-2])/(19|20)\d\d\b")
ENGLISH_DATE = re.compile(r"\b(0[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/(19|20)\d\d\b")
# 1.234.567,89 or 300,00 (Spanish); 1,234,567.89 or 300.00 (English).
SPANISH_AMOUNT = re.compile(r"\b\d{1,3}(\.\d{3})+,\d\d(?!\d)|\b\d+,\d\d(?![\d,])")
ENGLISH_AMOUNT = re.compile(r"\b\d{1,3}(,\d{3})+\.\d\d(?!\d)")
HIDDEN = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S)


def _shipped_spanish_names() -> set[str]:
    return {
        entry.msgstr
        for entry in polib.pofile(str(PO_FILE))
        if entry.msgctxt in ("voucher type", "tax obligation") and entry.msgstr != entry.msgid
    }


@pytest.fixture
def books_in_march(accountant, linked_company, monkeypatch):
    """Peña's books on 1 March 2026: the books locked up to 31 January, a sales invoice and a comprobante
    dated 25 March, a draft of 14 March, the board's snapshot refreshed; its IVA of January-February falls
    due on 17 March (its NIT ends in 6)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))
    with schema_context(linked_company.schema_name):
        client = third_party_create(
            document_type="nit",
            number="900123456-8",
            person_type="juridica",
            business_name="Cliente Uno S.A.S.",
        )
        invoice = post(
            accountant,
            [("130505", "1234567.89", 0), ("413595", 0, "1234567.89")],
            day=date(2026, 3, 25),
            voucher="FV",
            third_party=client,
        )
        post(accountant, [("111005", "2500000.50", 0), ("311505", 0, "2500000.50")], day=date(2026, 3, 25))
        draft(accountant, [("519530", 300, 0), ("111005", 0, 300)], day=date(2026, 3, 14))
        period_lock(until=date(2026, 1, 31), user=accountant)
    company_snapshots_refresh(company_ids=[linked_company.pk])
    return linked_company, invoice


def _pages(company, invoice) -> list[str]:
    base = f"/c/{company.slug}/"
    year = "?desde=2026-01-01&hasta=2026-12-31"
    return [
        "/contador/",  # the board
        "/contador/?q=Pe%C3%B1a",  # the company list, filtered
        base,
        f"{base}comprobantes/",
        f"{base}comprobantes/{invoice.pk}/",
        f"{base}comprobantes/nuevo/",
        f"{base}tipos-de-comprobante/",
        f"{base}periodos/",
        f"{base}informes/balance-de-prueba/{year}",
        f"{base}informes/balance-de-prueba/{year}&por_tercero=1",
        f"{base}informes/libro-diario/{year}",
        f"{base}informes/libro-diario/{year}&resumen=1",
        f"{base}informes/libro-mayor/{year}",
        f"{base}informes/libro-auxiliar/{year}&cuenta=130505",
        f"{base}informes/estados-financieros/{year}",
        "/contador/actividad/",
        "/contador/calendario/?dias=90",
        f"{base}calendario/",
    ]


def _walk(client, company, invoice) -> dict[str, str]:
    bodies = {}
    for url in _pages(company, invoice):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = HIDDEN.sub("", response.content.decode())
    return bodies


def test_english_pages_show_english_dates_amounts_and_names(accountant_client, books_in_march):
    company, invoice = books_in_march
    accountant_client.cookies["django_language"] = "en"
    spanish_names = _shipped_spanish_names()
    bodies = _walk(accountant_client, company, invoice)
    for url, body in bodies.items():
        assert not SPANISH_DATE.search(body), (url, SPANISH_DATE.search(body).group())
        assert not SPANISH_AMOUNT.search(body), (url, SPANISH_AMOUNT.search(body).group())
        assert [name for name in spanish_names if name in body] == [], url
    base = f"/c/{company.slug}/"
    assert "03/25/2026" in bodies["/contador/"] and "1,234,567.89" in bodies["/contador/"]
    assert "01/31/2026" in bodies["/contador/"]  # closed up to
    assert "03/14/2026" in bodies[f"{base}comprobantes/"]
    detail = bodies[f"{base}comprobantes/{invoice.pk}/"]
    assert "Sales invoice FV-" in detail and "1,234,567.89" in detail
    assert "Journal voucher" in bodies[f"{base}tipos-de-comprobante/"]
    assert "03/25/2026 · 1,234,567.89" in bodies["/contador/actividad/"]
    assert "VAT, bimonthly: return and payment" in bodies["/contador/calendario/?dias=90"]
    assert "03/17/2026" in bodies["/contador/calendario/?dias=90"]


def test_spanish_pages_are_unchanged(accountant_client, books_in_march):
    company, invoice = books_in_march
    bodies = _walk(accountant_client, company, invoice)
    for url, body in bodies.items():
        assert not ENGLISH_DATE.search(body), (url, ENGLISH_DATE.search(body).group())
        assert not ENGLISH_AMOUNT.search(body), (url, ENGLISH_AMOUNT.search(body).group())
    base = f"/c/{company.slug}/"
    assert "25/03/2026" in bodies["/contador/"] and "1.234.567,89" in bodies["/contador/"]
    assert "31/01/2026" in bodies["/contador/"]
    assert "14/03/2026" in bodies[f"{base}comprobantes/"]
    detail = bodies[f"{base}comprobantes/{invoice.pk}/"]
    assert "Factura de venta FV-" in detail and "1.234.567,89" in detail
    assert "Comprobante contable" in bodies[f"{base}tipos-de-comprobante/"]
    assert "25/03/2026 · 1.234.567,89 · Prueba" in bodies["/contador/actividad/"]
    assert "IVA bimestral: declaración y pago" in bodies["/contador/calendario/?dias=90"]
    assert "17/03/2026" in bodies["/contador/calendario/?dias=90"]


def test_the_walk_catches_spanish_formats():
    """The patterns the walks use: what they must find and what they must let through."""
    assert SPANISH_DATE.search("el 25/03/2026") and not SPANISH_DATE.search("03/25/2026 12/07/2026")
    assert ENGLISH_DATE.search("on 03/25/2026") and not ENGLISH_DATE.search("25/03/2026")
    for spanish in ("1.234.567,89", "300,00", "-0,50"):
        assert SPANISH_AMOUNT.search(spanish), spanish
    for english in ("1,234,567.89", "300.00", "2,601 lines", "1,234"):
        assert not SPANISH_AMOUNT.search(english), english
    assert ENGLISH_AMOUNT.search("1,234,567.89") and not ENGLISH_AMOUNT.search("1.234.567,89")


@pytest.mark.parametrize(
    ("language", "delimiter", "amount", "day"),
    [("es-co", ";", "1234567,89", "25/03/2026"), ("en", ",", "1234567.89", "03/25/2026")],
)
def test_csv_exports_follow_the_language(accountant_client, books_in_march, language, delimiter, amount, day):
    """Every CSV a person downloads (reports, board, tax calendar, import templates): semicolons and decimal
    commas in Spanish, commas and points in English."""
    company, _invoice = books_in_march
    accountant_client.cookies["django_language"] = language
    base = f"/c/{company.slug}/"
    year = "desde=2026-01-01&hasta=2026-12-31"
    files = {
        url: accountant_client.get(url).content.decode("utf-8-sig")
        for url in (
            f"{base}informes/balance-de-prueba/?{year}&formato=csv",
            f"{base}informes/libro-diario/?{year}&formato=csv",
            f"{base}informes/libro-auxiliar/?{year}&cuenta=130505&formato=csv",
            "/contador/tablero.csv",
            "/contador/calendario/exportar.csv?dias=90",
            f"{base}comprobantes/importar/plantilla.csv",
            "/contador/clientes/importar/plantilla.csv",
        )
    }
    other = "," if delimiter == ";" else ";"
    for url, text in files.items():
        header = text.splitlines()[0]
        assert delimiter in header and other not in header, (url, header)
    for url in list(files)[:4]:
        assert amount in files[url], url
    assert day in files[f"{base}informes/libro-diario/?{year}&formato=csv"]
    assert day in files["/contador/tablero.csv"]
    if language == "en":
        assert "VAT, bimonthly: return and payment" in files["/contador/calendario/exportar.csv?dias=90"]
        assert "1190000" in files[f"{base}comprobantes/importar/plantilla.csv"]
    else:
        assert "IVA bimestral: declaración y pago" in files["/contador/calendario/exportar.csv?dias=90"]
        assert "1.190.000" in files[f"{base}comprobantes/importar/plantilla.csv"]


def test_the_trial_balance_command_keeps_its_contract_in_english(books_in_march):
    """The command line is not language-dependent: commas and points, whatever language is active."""
    company, _invoice = books_in_march
    outputs = []
    for language in ("es-co", "en"):
        out = io.StringIO()
        with translation.override(language):
            call_command(
                "trial_balance",
                "--company",
                company.slug,
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                stdout=out,
            )
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[0] == "code,name,opening,debit,credit,closing"
    assert "130505," in outputs[0] and ",1234567.89," in outputs[0]


def test_a_large_report_file_is_written_in_the_language_of_who_asked(accountant, books_in_march):
    company, _invoice = books_in_march
    params = ReportParams(start=date(2026, 1, 1), end=date(2026, 12, 31))
    with schema_context(company.schema_name):
        with translation.override("en"):
            export = report_export_queue(
                kind="journal", fmt="csv", params=params, rows=1, company_id=company.pk, user=accountant
            )
        report_export_write(export_id=export.pk, company=company)  # the worker: no language of its own
        text = bytes(ReportExport.objects.get(pk=export.pk).content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Date,Comprobante,")
    assert "03/25/2026" in text and "1234567.89" in text
