import re
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from books.models import Account, BooksSettings, CostCenter, Entry, ThirdParty
from books.services.catalogs import third_party_create
from books.services.chart import account_create
from tests.queries import page_queries

from .conftest import post


@pytest.fixture
def company(linked_company):
    return linked_company


def _url(company, path=""):
    return f"/c/{company.slug}/{path}"


def _text(response) -> str:
    """The page's text as read on screen: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _lines(*rows):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


def _entry_data(*rows, action="post", day="2026-03-10"):
    with_type = {"voucher_type": _cc_id(), "date": day, "description": "Venta de contado", "action": action}
    return {**with_type, **_lines(*rows)}


_CC = {}


def _cc_id():
    return _CC["id"]


@pytest.fixture(autouse=True)
def _voucher_type_id(company):
    from books.models import VoucherType

    with schema_context(company.schema_name):
        _CC["id"] = str(VoucherType.objects.get(code="CC").pk)


def test_the_form_posts_a_comprobante_with_es_co_amounts(accountant_client, company):
    assert (
        "Ctrl+Enter contabiliza"
        in accountant_client.get(_url(company, "comprobantes/nuevo/")).content.decode()
    )
    response = accountant_client.post(
        _url(company, "comprobantes/nuevo/"),
        _entry_data(
            {"account": "110505 CAJA GENERAL", "debit": "1.500.000,50"},
            {"account": "413595", "credit": "1500000,50", "description": "Mostrador"},
            {},  # a blank line is ignored
        ),
    )
    assert response.status_code == 302
    with schema_context(company.schema_name):
        entry = Entry.objects.get()
        assert entry.status == "posted" and entry.number == 1 and entry.total == Decimal("1500000.50")
        assert response.url == _url(company, f"comprobantes/{entry.pk}/")
        assert [line.account_id for line in entry.lines.all()] == ["110505", "413595"]
    page = accountant_client.get(response.url).content.decode()
    assert "CC-1" in page and "1.500.000,50" in page


def test_the_form_saves_an_unbalanced_draft_but_refuses_to_post_it(accountant_client, company):
    rows = ({"account": "110505", "debit": "100"}, {"account": "413595", "credit": "90"})
    response = accountant_client.post(_url(company, "comprobantes/nuevo/"), _entry_data(*rows))
    assert response.status_code == 200
    assert "difieren en 10" in response.content.decode()
    response = accountant_client.post(
        _url(company, "comprobantes/nuevo/"), _entry_data(*rows, action="draft")
    )
    with schema_context(company.schema_name):
        assert Entry.objects.get().status == "draft"


def test_the_form_names_the_line_of_each_problem_in_spanish(accountant_client, company):
    response = accountant_client.post(
        _url(company, "comprobantes/nuevo/"),
        _entry_data(
            {"account": "1105", "debit": "100"},
            {"account": "413595", "credit": "100", "third_party": "123456789"},
            {"account": "413595", "debit": "abc"},
        ),
    )
    body = response.content.decode()
    assert "Escribe un valor" in body  # the amount "abc"
    response = accountant_client.post(
        _url(company, "comprobantes/nuevo/"),
        _entry_data(
            {"account": "1105", "debit": "100"},
            {"account": "413595", "credit": "100", "third_party": "123456789"},
        ),
    )
    body = response.content.decode()
    assert "Línea 1: la cuenta 1105 tiene subcuentas" in body
    assert "Línea 2: el tercero no existe" in body
    with schema_context(company.schema_name):
        assert not Entry.objects.exists()


def test_a_draft_is_edited_then_posted_and_a_posted_one_cannot_be_edited(accountant_client, company):
    accountant_client.post(
        _url(company, "comprobantes/nuevo/"),
        _entry_data({"account": "110505", "debit": "100"}, action="draft"),
    )
    with schema_context(company.schema_name):
        entry = Entry.objects.get()
    edit = _url(company, f"comprobantes/{entry.pk}/editar/")
    assert 'value="110505"' in accountant_client.get(edit).content.decode()
    accountant_client.post(
        edit,
        _entry_data(
            {"account": "110505", "debit": "100"}, {"account": "413595", "credit": "100"}, action="draft"
        ),
    )
    accountant_client.post(_url(company, f"comprobantes/{entry.pk}/contabilizar/"))
    with schema_context(company.schema_name):
        entry.refresh_from_db()
        assert entry.status == "posted" and entry.lines.count() == 2
    response = accountant_client.get(edit)
    assert response.status_code == 302 and response.url.endswith(f"comprobantes/{entry.pk}/")


def test_annul_reverse_copy_and_delete_from_the_comprobante_page(accountant_client, company, accountant):
    with schema_context(company.schema_name):
        entry = post(accountant, [("110505", 100, 0), ("413595", 0, 100)])
    base = _url(company, f"comprobantes/{entry.pk}/")
    accountant_client.post(base + "reversar/", {"date": "2026-03-15"})
    accountant_client.post(base + "anular/", {"reason": ""})  # refused: no reason
    accountant_client.post(base + "copiar/")
    with schema_context(company.schema_name):
        reversal = Entry.objects.get(reversal_of=entry)
        copy = Entry.objects.get(status="draft")
        assert reversal.date == date(2026, 3, 15) and Entry.objects.get(pk=entry.pk).status == "posted"
    # Reversed: the original is not annulled (that would cancel it twice) until its reversal is annulled.
    page = accountant_client.get(base).content.decode()
    assert "Reversado por CC-2" in _text(accountant_client.get(base))
    assert f"comprobantes/{entry.pk}/anular/" not in page and f"comprobantes/{entry.pk}/reversar/" not in page
    refused = accountant_client.post(base + "anular/", {"reason": "Venta duplicada"}, follow=True)
    assert "está reversado por CC-2" in refused.content.decode()
    reversal_page = accountant_client.get(_url(company, f"comprobantes/{reversal.pk}/"))
    assert "Reversa de CC-1" in _text(reversal_page)
    assert f"comprobantes/{reversal.pk}/reversar/" not in reversal_page.content.decode()
    accountant_client.post(
        _url(company, f"comprobantes/{reversal.pk}/anular/"), {"reason": "Reversión por error"}
    )
    accountant_client.post(base + "anular/", {"reason": "Venta duplicada"})
    accountant_client.post(_url(company, f"comprobantes/{copy.pk}/eliminar/"))
    with schema_context(company.schema_name):
        assert Entry.objects.get(pk=reversal.pk).status == "annulled"
        assert Entry.objects.get(pk=entry.pk).status == "annulled"
        assert not Entry.objects.filter(pk=copy.pk).exists()
    assert "Venta duplicada" in accountant_client.get(base).content.decode()


def test_entry_list_filters_by_type_dates_tercero_account_and_status(accountant_client, company, accountant):
    with schema_context(company.schema_name):
        cliente = third_party_create(
            document_type="nit",
            number="900123456-8",
            person_type="juridica",
            business_name="Ferretería Núñez",
        )
        post(accountant, [("130505", 10, 0), ("413595", 0, 10)], day=date(2026, 1, 5), third_party=cliente)
        post(accountant, [("110505", 20, 0), ("413595", 0, 20)], day=date(2026, 2, 5))
        post(accountant, [("519530", 30, 0), ("110505", 0, 30)], day=date(2026, 3, 5), voucher="CE")

    def totals(**params):
        response = accountant_client.get(_url(company, "comprobantes/"), params)
        return sorted(entry.total for entry in response.context["page"])

    assert totals() == [10, 20, 30]
    assert totals(tercero="ferreteria nunez") == [10]
    assert totals(tercero="900123456") == [10]
    assert totals(cuenta="1105") == [20, 30]
    assert totals(desde="2026-02-01", hasta="2026-02-28") == [20]
    assert totals(estado="posted", numero=1) == [10, 30]


def test_entry_list_query_count_is_the_same_for_2_and_40_comprobantes(accountant_client, company, accountant):
    url = _url(company, "comprobantes/")
    with schema_context(company.schema_name):
        for _n in range(2):
            post(accountant, [("110505", 10, 0), ("413595", 0, 10)])
    small = page_queries(accountant_client, url)
    with schema_context(company.schema_name):
        for _n in range(38):
            post(accountant, [("110505", 10, 0), ("413595", 0, 10)])
    assert page_queries(accountant_client, url) == small


def test_terceros_are_created_searched_edited_and_deactivated(accountant_client, company):
    new = _url(company, "terceros/nuevo/")
    data = {
        "person_type": "juridica",
        "document_type": "nit",
        "number": "900.123.456-7",
        "business_name": "Peña",
    }
    assert "es 8, no 7" in accountant_client.post(new, data).content.decode()
    assert accountant_client.post(new, {**data, "number": "900.123.456-8"}).status_code == 302
    natural = {
        "person_type": "natural",
        "document_type": "cc",
        "number": "1.020.304.050",
        "first_names": "Ana",
    }
    assert "nombres y apellidos" in accountant_client.post(new, natural).content.decode()
    accountant_client.post(new, {**natural, "last_names": "Núñez"})
    listed = accountant_client.get(_url(company, "terceros/"), {"q": "nunez"}).context["page"]
    assert [t.display_name for t in listed] == ["Ana Núñez"]
    with schema_context(company.schema_name):
        pena = ThirdParty.objects.get(number="900123456")
    edit = _url(company, f"terceros/{pena.pk}/")
    accountant_client.post(
        edit, {"person_type": "juridica", "business_name": "Peña S.A.S.", "city": "Bogotá"}
    )
    accountant_client.post(edit, {"action": "deactivate"})
    with schema_context(company.schema_name):
        pena.refresh_from_db()
        assert (pena.business_name, pena.city, pena.is_active, pena.check_digit) == (
            "Peña S.A.S.",
            "Bogotá",
            False,
            "8",
        )


def test_lookups_suggest_movement_accounts_and_active_terceros(accountant_client, company):
    options = accountant_client.get(_url(company, "cuentas/buscar/"), {"q": "caja"}).content.decode()
    assert 'value="110505"' in options and 'value="1105"' not in options
    with schema_context(company.schema_name):
        third_party_create(
            document_type="nit", number="900123456", person_type="juridica", business_name="Uno"
        )
    options = accountant_client.get(_url(company, "terceros/buscar/"), {"q": "9001"}).content.decode()
    assert 'value="900123456"' in options and "900123456-8 Uno" in options


def test_account_search_finds_code_prefixes_and_whole_words_first(accountant_client, company):
    results = accountant_client.get(_url(company, "cuentas/"), {"q": "2408"}).context["results"]
    assert [a.code for a in results] == ["2408", "240800"]
    results = accountant_client.get(_url(company, "cuentas/"), {"q": "iva"}).context["results"]
    codes = [a.code for a in results]
    whole = [a.code for a in results if "IVA" in a.name.upper().replace(",", " ").split()]
    assert whole and codes[: len(whole)] == whole  # "IVA ..." before "PRIVADA", "DERIVADOS"
    assert len(codes) > len(whole)


def test_account_settings_rename_only_the_companys_own_accounts(accountant_client, company):
    with schema_context(company.schema_name):
        account_create(parent=Account.objects.get(code="110505"), code="11050501", name="Caja sede norte")
    edit = _url(company, "cuentas/11050501/")
    data = {"name": "Caja sede sur", "nature": "D", "is_active": "on", "requires_cost_center": "on"}
    assert accountant_client.post(edit, data).status_code == 302
    accountant_client.post(
        _url(company, "cuentas/110510/"), {**data, "name": "Otra"}
    )  # PUC name: disabled field
    with schema_context(company.schema_name):
        mine = Account.objects.get(code="11050501")
        assert (mine.name, mine.requires_cost_center) == ("Caja sede sur", True)
        assert Account.objects.get(code="110510").name == "CAJAS MENORES"


def test_leaf_accounts_offer_an_auxiliary_from_the_browse_view(accountant_client, company):
    body = accountant_client.get(_url(company, "cuentas/"), {"cuenta": "1105"}).content.decode()
    assert "cuentas/nueva/?padre=110505" in body


def test_cost_centers_and_voucher_types(accountant_client, company):
    accountant_client.post(_url(company, "centros-de-costo/"), {"code": "ven", "name": "Ventas"})
    assert (
        "Ya existe"
        in accountant_client.post(
            _url(company, "centros-de-costo/"), {"code": "VEN", "name": "Otra"}
        ).content.decode()
    )
    accountant_client.post(_url(company, "tipos-de-comprobante/"), {"code": "NM", "name": "Nómina"})
    with schema_context(company.schema_name):
        center = CostCenter.objects.get(code="VEN")
    accountant_client.post(_url(company, f"centros-de-costo/{center.pk}/"), {"name": "Ventas Bogotá"})
    with schema_context(company.schema_name):
        center.refresh_from_db()
        assert (center.name, center.is_active) == ("Ventas Bogotá", False)
    body = accountant_client.get(_url(company, "tipos-de-comprobante/")).content.decode()
    assert "Nómina" in body and "Saldos iniciales" in body


def test_voucher_types_are_named_in_english_unless_the_company_named_them(
    accountant_client, company, accountant
):
    """Standard types show their standard name in the reader's language; a company's own type, or a standard
    one it renamed, shows the name as it was typed."""
    from books.models import VoucherType

    accountant_client.post(_url(company, "tipos-de-comprobante/"), {"code": "NM", "name": "Nómina"})
    with schema_context(company.schema_name):
        VoucherType.objects.filter(code="RC").update(name="Recibo de caja menor")
        entry = post(accountant, [("110505", 100, 0), ("413595", 0, 100)], voucher="FV")
    accountant_client.cookies["django_language"] = "en"
    listing = accountant_client.get(_url(company, "tipos-de-comprobante/")).content.decode()
    for english in ("Opening balances", "Journal voucher", "Sales invoice", "Debit note", "Year-end closing"):
        assert english in listing
    assert "Nómina" in listing and "Recibo de caja menor" in listing
    assert "Saldos iniciales" not in listing and "Factura de venta" not in listing
    form = accountant_client.get(_url(company, "comprobantes/nuevo/")).content.decode()
    assert "FV Sales invoice" in form and "RC Recibo de caja menor" in form and "NM Nómina" in form
    assert (
        "Sales invoice FV-1"
        in accountant_client.get(_url(company, f"comprobantes/{entry.pk}/")).content.decode()
    )
    journal = accountant_client.get(
        _url(company, "informes/libro-diario/"),
        {"desde": "2026-01-01", "hasta": "2026-12-31", "resumen": "1"},
    ).content.decode()
    assert journal.count("FV Sales invoice") == 2  # totals per type, and per day and type


def test_the_standard_voucher_types_keep_their_seeded_spanish_names():
    import importlib

    from django.utils import translation

    from books.models import STANDARD_VOUCHER_TYPES, voucher_type_name

    seeded = dict(importlib.import_module("books.migrations.0005_voucher_types").STANDARD_TYPES)
    assert {code: spanish for code, (spanish, _name) in STANDARD_VOUCHER_TYPES.items()} == seeded
    with translation.override("es-co"):
        assert {code: voucher_type_name(code, name) for code, name in seeded.items()} == seeded
        assert {code: str(name) for code, (_spanish, name) in STANDARD_VOUCHER_TYPES.items()} == seeded


def test_an_english_reader_types_amounts_with_thousands_commas(accountant_client, company):
    accountant_client.cookies["django_language"] = "en"
    response = accountant_client.post(
        _url(company, "comprobantes/nuevo/"),
        _entry_data({"account": "110505", "debit": "1,500"}, {"account": "413595", "credit": "1,500.00"}),
    )
    assert response.status_code == 302
    with schema_context(company.schema_name):
        assert Entry.objects.get().total == Decimal("1500.00")  # in Spanish, 1,500 is one and a half


def test_periods_page_locks_unlocks_and_closes(accountant_client, company, accountant):
    with schema_context(company.schema_name):
        post(accountant, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
    page = _url(company, "periodos/")
    accountant_client.post(page, {"action": "lock", "until": "2025-11-30"})
    refused = accountant_client.post(page, {"action": "unlock", "until": "2025-10-31", "reason": " "})
    assert "obligatorio" in refused.content.decode()  # no reason, no unlocking
    accountant_client.post(page, {"action": "unlock", "until": "2025-10-31", "reason": "Ajuste del revisor"})
    response = accountant_client.post(page, {"action": "close", "year": "2025"})
    assert response.status_code == 302
    with schema_context(company.schema_name):
        assert BooksSettings.objects.get().lock_date == date(2025, 12, 31)  # the closing locks its year
        assert Entry.objects.get(source="closing").lines.get(account_id="361005").debit == 300
    assert "Ajuste del revisor" in accountant_client.get(page).content.decode()


def test_company_members_keep_their_own_books(client, client_member, company_andes):
    client.force_login(client_member)
    response = client.post(
        f"/c/{company_andes.slug}/comprobantes/nuevo/",
        {
            "voucher_type": _cc_for(company_andes),
            "date": "2026-03-10",
            "description": "",
            "action": "post",
            **_lines({"account": "110505", "debit": "5"}, {"account": "413595", "credit": "5"}),
        },
    )
    assert response.status_code == 302


def _cc_for(company):
    from books.models import VoucherType

    with schema_context(company.schema_name):
        return str(VoucherType.objects.get(code="CC").pk)


def test_import_page_previews_then_confirms_and_shows_the_result(
    accountant_client, company, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from books.models import JournalImport
    from books.tasks import journal_import_task

    from .test_journal import BAD, GOOD, csv_file

    data = csv_file(GOOD + list(BAD[0][:2]))
    response = accountant_client.post(
        _url(company, "comprobantes/importar/"), {"file": SimpleUploadedFile("diario.csv", data)}
    )
    assert response.status_code == 302
    preview = accountant_client.get(response.url).content.decode()
    assert "Contabilizar 2 comprobantes" in preview and "difieren en 10" in preview
    with schema_context(company.schema_name):
        job = JournalImport.objects.get()
    with django_capture_on_commit_callbacks() as callbacks:
        accountant_client.post(_url(company, f"comprobantes/importar/{job.pk}/confirmar/"))
    assert len(callbacks) == 1  # the Celery job, queued once the confirmation committed
    journal_import_task.apply(args=[company.pk, job.pk])  # what the worker does
    result = accountant_client.get(_url(company, f"comprobantes/importar/{job.pk}/")).content.decode()
    assert "Resultado de la carga" in result and "Contabilizado" in result
    report = accountant_client.get(_url(company, f"comprobantes/importar/{job.pk}/resultado.xlsx"))
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    with schema_context(company.schema_name):
        assert Entry.objects.filter(status="posted").count() == 2
        assert JournalImport.objects.get().status == "done"


def test_an_import_confirmed_while_redis_is_down_waits_and_its_page_queues_it_again_once_redis_is_back(
    accountant_client, company, redis_server, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from books.models import JournalImport
    from books.tasks import journal_import_task
    from tests.outages import broker_at

    from .test_journal import GOOD, csv_file

    upload = SimpleUploadedFile("diario.csv", csv_file(GOOD))
    job_url = accountant_client.post(_url(company, "comprobantes/importar/"), {"file": upload}).url
    progress = f"{job_url}progreso/"
    with schema_context(company.schema_name):
        job = JournalImport.objects.get()
    with broker_at(redis_server.url):
        redis_server.kill()
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = accountant_client.post(f"{job_url}confirmar/")
        assert confirmed.status_code == 302  # not a server error
        settings.WORK_STALLED_AFTER = timedelta(0)  # minutes in production
        assert (
            "Esperando" in accountant_client.get(progress).content.decode()
        )  # the resume failed: still down
        with schema_context(company.schema_name):
            assert JournalImport.objects.values_list("status", "resumed_count").get() == ("queued", 0)

        redis_server.start()
        assert accountant_client.get(progress).status_code == 200
        assert redis_server.queued_task_args() == [("books.tasks.journal_import_task", [company.pk, job.pk])]
    with schema_context(company.schema_name):
        assert JournalImport.objects.get().resumed_count == 1
    journal_import_task.apply(args=[company.pk, job.pk])  # what the worker does
    with schema_context(company.schema_name):
        job = JournalImport.objects.get()
        assert (job.status, job.posted_count, Entry.objects.count()) == ("done", 2, 2)
    settings.WORK_STALLED_AFTER = timedelta(seconds=0)
    assert "Terminada" in accountant_client.get(progress).content.decode()  # a finished job is left alone
    with schema_context(company.schema_name):
        assert JournalImport.objects.get().resumed_count == 1


def test_import_page_explains_a_file_problem(accountant_client, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = accountant_client.post(
        _url(company, "comprobantes/importar/"), {"file": SimpleUploadedFile("diario.pdf", b"%PDF")}
    )
    assert response.status_code == 200 and "no es un formato" in response.content.decode()


def test_opening_balances_page(accountant_client, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_journal import csv_file

    header = ["Cuenta", "Débito", "Crédito"]
    unbalanced = csv_file([["110505", "100", ""], ["311505", "", "90"]], header)
    page = _url(company, "saldos-iniciales/")
    response = accountant_client.post(
        page, {"file": SimpleUploadedFile("s.csv", unbalanced), "date": "2025-12-31"}
    )
    assert "difieren en 10" in response.content.decode()
    balanced = csv_file([["110505", "100", ""], ["311505", "", "100"]], header)
    response = accountant_client.post(
        page, {"file": SimpleUploadedFile("s.csv", balanced), "date": "2025-12-31"}
    )
    assert response.status_code == 302
    with schema_context(company.schema_name):
        assert Entry.objects.get().voucher_type.code == "SI"


def test_terceros_export_then_import_round_trip(accountant_client, company):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    with schema_context(company.schema_name):
        third_party_create(
            document_type="nit", number="900123456-8", person_type="juridica", business_name="Uno"
        )
        third_party_create(
            document_type="cc",
            number="1020304050",
            person_type="natural",
            first_names="Ana",
            last_names="Núñez",
        )
    exported = accountant_client.get(_url(company, "terceros/exportar.xlsx")).content
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    assert sheet.max_row == 3 and sheet["C2"].data_type == "s"  # numbers as text
    sheet["I2"] = "3001234567"  # a phone added in Excel
    sheet.append(["Persona jurídica", "NIT", "860002964", "4", "Dos Ltda."])
    sheet.append(["Persona jurídica", "NIT", "860002964", "9", "Mal DV"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = accountant_client.post(
        _url(company, "terceros/importar/"), {"file": SimpleUploadedFile("terceros.xlsx", buffer.getvalue())}
    )
    result = response.context["result"]
    assert (result.created, result.updated, len(result.errors)) == (1, 2, 1)
    assert "Fila 5" in result.errors[0]
    with schema_context(company.schema_name):
        assert ThirdParty.objects.get(number="860002964").business_name == "Dos Ltda."
        assert ThirdParty.objects.filter(phone="3001234567").count() == 1


def test_third_party_list_query_count_is_the_same_for_2_and_40(accountant_client, company):
    url = _url(company, "terceros/")

    def add(count, start):
        with schema_context(company.schema_name):
            for n in range(start, start + count):
                third_party_create(
                    document_type="cc",
                    number=str(10_000 + n),
                    person_type="natural",
                    first_names="A",
                    last_names=f"B{n}",
                )

    add(2, 0)
    small = page_queries(accountant_client, url)
    add(38, 2)
    assert page_queries(accountant_client, url) == small


def test_plan_consulta_reads_the_books_with_the_write_controls_hidden_and_a_note(
    accountant_client, company, workspace, accountant
):
    from datetime import timedelta

    from django.utils import timezone

    with schema_context(company.schema_name):
        entry = post(accountant, [("110505", 100, 0), ("413595", 0, 100)])
    workspace.trial_ends_on = timezone.localdate() - timedelta(days=1)
    workspace.save(update_fields=["trial_ends_on"])
    for path in [
        "comprobantes/",
        f"comprobantes/{entry.pk}/",
        "comprobantes/nuevo/",
        "terceros/",
        "periodos/",
    ]:
        body = accountant_client.get(_url(company, path)).content.decode()
        assert "Plan consulta: puedes ver todo aquí, pero no cambiarlo." in body, path
        assert "Contabilizar" not in body and "Anular" not in body and "Nuevo tercero" not in body, path
    # The server refuses anyway.
    assert (
        accountant_client.post(_url(company, f"comprobantes/{entry.pk}/anular/"), {"reason": "x"}).status_code
        == 403
    )


def test_an_auxiliar_saves_drafts_but_the_form_refuses_to_post(client, workspace, company):
    from firms.models import CompanyAccess, CompanyAssignment
    from tests.factories import WorkspaceMemberFactory

    auxiliar = WorkspaceMemberFactory(workspace=workspace, role="assistant")
    CompanyAssignment.objects.create(access=CompanyAccess.objects.get(company=company), member=auxiliar)
    client.force_login(auxiliar.user)
    rows = ({"account": "110505", "debit": "100"}, {"account": "413595", "credit": "100"})
    page = client.get(_url(company, "comprobantes/nuevo/")).content.decode()
    assert 'value="post"' not in page and "Como auxiliar guardas los comprobantes como borradores" in page
    assert "Ctrl+Enter" not in page and "Enter pasa al siguiente campo y al final añade una línea." in page
    response = client.post(_url(company, "comprobantes/nuevo/"), _entry_data(*rows))
    assert response.status_code == 200 and "Como auxiliar" in response.content.decode()
    response = client.post(_url(company, "comprobantes/nuevo/"), _entry_data(*rows, action="draft"))
    assert response.status_code == 302
    with schema_context(company.schema_name):
        entry = Entry.objects.get()
        assert entry.status == "draft"
    detail = client.get(response.url).content.decode()
    assert f"comprobantes/{entry.pk}/contabilizar/" not in detail
    assert client.post(_url(company, f"comprobantes/{entry.pk}/contabilizar/")).status_code == 403
    with schema_context(company.schema_name):
        assert Entry.objects.get().status == "draft"


# Issue 18: reversals, closings, bounds, dates and the database's refusals, as the accountant meets them ---


def test_a_reversal_takes_a_type_and_a_date_and_the_two_are_linked_both_ways(
    accountant_client, company, accountant
):
    from books.models import VoucherType

    with schema_context(company.schema_name):
        invoice = post(accountant, [("130505", 100, 0), ("413595", 0, 100)], voucher="FV")
        nd = VoucherType.objects.get(code="ND").pk
    base = _url(company, f"comprobantes/{invoice.pk}/")
    form = accountant_client.get(base).content.decode()
    assert 'name="voucher_type"' in form and "El tipo del comprobante" in form
    response = accountant_client.post(base + "reversar/", {"date": "2026-03-20", "voucher_type": nd})
    with schema_context(company.schema_name):
        reversal = Entry.objects.get(reversal_of=invoice)
        assert (reversal.label, reversal.date, reversal.description) == (
            "ND-1",
            date(2026, 3, 20),
            "Reversión de FV-1",
        )
        assert VoucherType.objects.get(code="FV").next_number == 2
    assert response.url == _url(company, f"comprobantes/{reversal.pk}/")
    assert "Reversa de FV-1" in _text(accountant_client.get(response.url))
    original = accountant_client.get(base)
    assert "Reversado por ND-1" in _text(original)
    # Neither annulled nor reversed again: the page says how to undo it instead of offering it.
    body = original.content.decode()
    assert (
        f"comprobantes/{invoice.pk}/anular/" not in body
        and f"comprobantes/{invoice.pk}/reversar/" not in body
    )
    assert "para deshacer la reversión, anula ND-1" in body


def test_annul_is_not_offered_in_a_locked_period(accountant_client, company, accountant):
    from books.services.periods import period_lock

    with schema_context(company.schema_name):
        january = post(accountant, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 1, 15))
        march = post(accountant, [("110505", 100, 0), ("413595", 0, 100)], day=date(2026, 3, 15))
        period_lock(until=date(2026, 1, 31), user=accountant)
    locked = accountant_client.get(_url(company, f"comprobantes/{january.pk}/"))
    assert f"comprobantes/{january.pk}/anular/" not in locked.content.decode()
    assert "Los libros están bloqueados hasta el 31/01/2026" in _text(locked)
    assert f"comprobantes/{january.pk}/reversar/" in locked.content.decode()  # into an open period
    open_page = accountant_client.get(_url(company, f"comprobantes/{march.pk}/")).content.decode()
    assert f"comprobantes/{march.pk}/anular/" in open_page


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"debit": "10000000000000000"}, "El valor máximo de una línea es 999.999.999.999.999,99."),
        ({"debit": "9.000.000.000.000.000"}, "El valor máximo de una línea es 999.999.999.999.999,99."),
        (
            {"day": "0001-01-01"},
            "La fecha 01/01/0001 está fuera de las fechas de la contabilidad: del 01/01/1990",
        ),
        ({"day": "1900-01-01"}, "La fecha 01/01/1900 está fuera de las fechas de la contabilidad"),
        ({"day": "9999-12-31"}, "La fecha 31/12/9999 está fuera de las fechas de la contabilidad"),
    ],
    ids=["1e16", "9e15", "year-1", "year-1900", "year-9999"],
)
def test_the_form_refuses_huge_amounts_and_dates_outside_the_books_window_in_spanish(
    accountant_client, company, row, message
):
    amount = row.get("debit", "100")
    data = _entry_data(
        {"account": "110505", "debit": amount},
        {"account": "413595", "credit": amount},
        day=row.get("day", "2026-03-10"),
    )
    for action in ("post", "draft"):
        response = accountant_client.post(_url(company, "comprobantes/nuevo/"), {**data, "action": action})
        assert response.status_code == 200 and message in _text(response)
        if "day" in row:  # the form itself says it, by the date
            assert message in " ".join(response.context["form"].errors["date"])
    with schema_context(company.schema_name):
        assert not Entry.objects.exists()


@pytest.fixture
def without_the_apps_checks(monkeypatch):
    """The app's own checks switched off: only PostgreSQL's rules stand (as for any path that skips them)."""
    monkeypatch.setattr("books.services.entries.Ledger.check", lambda self, lines, **kwargs: [])
    monkeypatch.setattr("books.services.entries._period_held", lambda days, **kwargs: None)
    monkeypatch.setattr("books.forms.amount_problem", lambda amount: None)
    monkeypatch.setattr("books.forms.date_problem", lambda day: None)


@pytest.mark.parametrize(
    ("rows", "day", "message"),
    [
        (
            ({"account": "110505", "debit": "100"}, {"account": "413595", "credit": "99,99"}),
            "2026-03-10",
            "Los débitos (100,00) y los créditos (99,99) difieren en 0,01.",
        ),
        (
            ({"account": "110505", "debit": "100"}, {"account": "413595", "credit": "100"}),
            "2026-01-20",
            "Los libros están bloqueados hasta el 31/01/2026: el 20/01/2026 está en un periodo cerrado.",
        ),
        (
            ({"account": "519530", "debit": "100"}, {"account": "110505", "credit": "100"}),
            "2025-08-01",
            "2025 está cerrado con CI-1: en ese año no se contabiliza ni se anula nada",
        ),
        (
            ({"account": "1105", "debit": "100"}, {"account": "413595", "credit": "100"}),
            "2026-03-10",
            "la cuenta 1105 tiene subcuentas",
        ),
        (
            (
                {"account": "110505", "debit": "1000000000000000"},
                {"account": "413595", "credit": "1000000000000000"},
            ),
            "2026-03-10",
            "El valor máximo de una línea es 999.999.999.999.999,99.",
        ),
        (
            ({"account": "110505", "debit": "100"}, {"account": "413595", "credit": "100"}),
            "1989-12-31",
            "La contabilidad acepta fechas del 01/01/1990 al 31/12/2100.",
        ),
    ],
    ids=["one-cent", "lock-date", "closed-year", "sub-accounts", "amount", "date"],
)
def test_a_refusal_by_the_database_reaches_the_form_as_a_spanish_message(
    accountant_client, company, accountant, without_the_apps_checks, rows, day, message
):
    from books.services.periods import period_lock, year_close

    with schema_context(company.schema_name):
        post(accountant, [("519530", 300, 0), ("110505", 0, 300)], day=date(2025, 6, 1))
        year_close(year=2025, user=accountant)
        period_lock(until=date(2026, 1, 31), user=accountant)
    response = accountant_client.post(_url(company, "comprobantes/nuevo/"), _entry_data(*rows, day=day))
    assert response.status_code == 200
    assert message in _text(response)
    assert "books:" not in response.content.decode()  # not the trigger's own text
    with schema_context(company.schema_name):
        assert not Entry.objects.filter(source="manual").exclude(date=date(2025, 6, 1)).exists()


def test_a_year_is_closed_from_the_periods_page_only_once_it_has_ended(
    accountant_client, company, accountant
):
    from django.utils import timezone

    year = timezone.localdate().year
    with schema_context(company.schema_name):
        post(accountant, [("519530", 300, 0), ("110505", 0, 300)], day=date(year, 1, 5))
    response = accountant_client.post(_url(company, "periodos/"), {"action": "close", "year": str(year)})
    assert response.status_code == 200
    assert f"{year} se puede cerrar a partir del 01/01/{year + 1}" in _text(response)


def test_the_import_preview_says_when_a_consecutive_moves(accountant_client, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from books.models import VoucherType

    from .test_journal import csv_file

    with schema_context(company.schema_name):
        VoucherType.objects.filter(code="ND").update(next_number=12)
    rows = [
        ["ND", "500", "2026-03-05", "110505", "", "", "", "", "100", ""],
        ["ND", "500", "2026-03-05", "413595", "", "", "", "", "", "100"],
    ]
    upload = SimpleUploadedFile("notas.csv", csv_file(rows))
    response = accountant_client.post(_url(company, "comprobantes/importar/"), {"file": upload})
    preview = _text(accountant_client.get(response.url))
    assert "El consecutivo de ND pasará de 12 a 501" in preview


def test_the_tercero_form_refuses_a_phone_that_is_not_a_number_and_ends_its_message_once(
    accountant_client, company
):
    new = _url(company, "terceros/nuevo/")
    data = {"person_type": "juridica", "document_type": "nit", "number": "900.123.456-8", "phone": "+1+1"}
    response = accountant_client.post(new, {**data, "business_name": "Cliente Uno S.A.S."})
    assert response.status_code == 200 and response.context["form"].errors["phone"] == [
        "“+1+1” no es un número de teléfono válido. Escríbelo con su indicativo de área, o con + y el "
        "indicativo del país, por ejemplo +57 300 123 4567."
    ]
    response = accountant_client.post(
        new, {**data, "business_name": "Cliente Uno S.A.S.", "phone": "601 234 5678"}, follow=True
    )
    assert "Se agregó a Cliente Uno S.A.S.<" in response.content.decode()
    with schema_context(company.schema_name):
        uno = ThirdParty.objects.get(number="900123456")
        assert uno.phone == "601 234 5678"
    edit = _url(company, f"terceros/{uno.pk}/")
    response = accountant_client.post(
        edit, {"person_type": "juridica", "business_name": "Uno S.A.S.", "phone": "1+1"}
    )
    assert "“1+1” no es un número de teléfono válido" in response.content.decode()
    with schema_context(company.schema_name):
        uno.refresh_from_db()
        assert uno.phone == "601 234 5678"


def test_the_terceros_import_refuses_a_phone_that_is_not_a_number_row_by_row(accountant_client, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [
        "Tipo de documento;Número;Razón social;Teléfono",
        "NIT;900123456-8;Uno S.A.S.;+1+1",
        "NIT;860002964-4;Dos Ltda.;300 123 4567",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode()
    response = accountant_client.post(
        _url(company, "terceros/importar/"), {"file": SimpleUploadedFile("terceros.csv", data)}
    )
    result = response.context["result"]
    assert (result.created, result.updated) == (1, 0)
    assert result.errors == [
        "Fila 2: “+1+1” no es un número de teléfono válido. Escríbelo con su indicativo de área, o con + y "
        "el indicativo del país, por ejemplo +57 300 123 4567."
    ]
    with schema_context(company.schema_name):
        assert list(ThirdParty.objects.values_list("business_name", "phone")) == [
            ("Dos Ltda.", "300 123 4567")
        ]
