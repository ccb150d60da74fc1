import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from openpyxl import Workbook, load_workbook

from books.models import CostCenter, Entry, JournalImportEntry, ThirdParty
from books.services.journal import journal_confirm, journal_preview, journal_process, journal_summary
from books.services.journal_file import JOURNAL, parse_day
from books.services.opening import OpeningRefused, opening_balances_post
from books.services.periods import period_lock
from books.spreadsheets import journal_report_xlsx, journal_template_csv, journal_template_xlsx
from core.tables import FileProblem

HEADER = list(JOURNAL.headers.values())


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def csv_file(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["CC", "1", "2026-03-05", "110505", "", "", "", "Venta", "1.190.000", ""],
    [
        "CC",
        "1",
        "2026-03-05",
        "413595",
        "900123456-8",
        "Cliente Uno S.A.S.",
        "ven",
        "=SUM(A1:A2)",
        "",
        "1.000.000",
    ],
    ["CC", "1", "2026-03-05", "240800", "800197268", "DIAN", "", "IVA", "", "190.000,00"],
    ["FV", "7", "06/03/2026", "130505", "900123456-8", "Cliente Uno S.A.S.", "", "Factura", "500", ""],
    ["FV", "7", "06/03/2026", "413595", "900123456-8", "", "VEN", "Factura", "", "500"],
]
BAD = [
    (
        ["CC", "2", "2026-03-05", "110505", "", "", "", "", "100", ""],
        ["CC", "2", "2026-03-05", "413595", "", "", "", "", "", "90"],
        "differ by 10",
    ),
    (
        ["CC", "3", "2026-03-05", "999999", "", "", "", "", "100", ""],
        ["CC", "3", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "does not exist",
    ),
    (
        ["CC", "4", "2026-03-05", "1105", "", "", "", "", "100", ""],
        ["CC", "4", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "sub-accounts",
    ),
    (
        ["CC", "5", "2026-03-05", "110505", "", "", "", "", "100", "100"],
        ["CC", "5", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "either as a debit",
    ),
    (
        ["CC", "6", "2026-03-05", "110505", "", "", "", "", "-100", ""],
        ["CC", "6", "2026-03-05", "413595", "", "", "", "", "", "-100"],
        "negative",
    ),
    (
        ["CC", "8", "2026-03-05", "110505", "", "", "", "", "100,001", ""],
        ["CC", "8", "2026-03-05", "413595", "", "", "", "", "", "100,001"],
        "2 decimals",
    ),
    (
        ["CC", "9", "31/02/2026", "110505", "", "", "", "", "100", ""],
        ["CC", "9", "31/02/2026", "413595", "", "", "", "", "", "100"],
        "not a date",
    ),
    (
        ["CC", "10", "2026-01-10", "110505", "", "", "", "", "100", ""],
        ["CC", "10", "2026-01-10", "413595", "", "", "", "", "", "100"],
        "locked up to",
    ),
    (
        ["CC", "11", "2026-03-05", "130505", "900123456-7", "Uno", "", "", "100", ""],
        ["CC", "11", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "is 8, not 7",
    ),
    (
        ["ZZ", "1", "2026-03-05", "110505", "", "", "", "", "100", ""],
        ["ZZ", "1", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "no voucher type ZZ",
    ),
    (
        ["CC", "12", "2026-03-05", "130505", "123456", "", "", "", "100", ""],
        ["CC", "12", "2026-03-05", "413595", "", "", "", "", "", "100"],
        "write its name",
    ),
]


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("31/03/2026", date(2026, 3, 31)),
        (datetime(2026, 3, 31, 0, 0), date(2026, 3, 31)),  # noqa: DTZ001 - spreadsheet cells have no zone
        (46112, date(2026, 3, 31)),
        ("46112", date(2026, 3, 31)),
        ("31/02/2026", None),
        ("mañana", None),
        ("", None),
    ],
)
def test_dates_are_read_in_every_accepted_form(value, day):
    assert parse_day(value) == day


def test_a_file_of_good_and_bad_comprobantes_posts_the_good_ones_and_reports_each_bad_one(books, bookkeeper):
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    rows = GOOD + [line for first, second, _message in BAD for line in (first, second)]
    job = journal_preview(file_name="diario.csv", data=csv_file(rows), user=bookkeeper)
    assert not Entry.objects.exists()  # the preview writes nothing to the books
    assert (job.total_entries, job.to_post) == (2 + len(BAD), 2)
    refused = {f"{e.voucher_code}-{e.number}": " ".join(e.messages) for e in job.entries.filter(plan="error")}
    for first, _second, message in BAD:
        assert message in refused[f"{first[0]}-{first[1]}"], (first, refused[f"{first[0]}-{first[1]}"])
    assert "Row " in refused["CC-3"]  # the reason names the row
    job = journal_process(job_id=job.pk, user=bookkeeper)
    assert (
        job.status == "done"
        and journal_summary(job).line() == f"entries=2 lines=5 skipped=0 errors={len(BAD)}"
    )
    cc1 = Entry.objects.get(voucher_type__code="CC", number=1)
    assert cc1.status == "posted" and cc1.total == Decimal("1190000.00") and cc1.source == "import"
    assert cc1.lines.get(account_id="413595").description == "=SUM(A1:A2)"  # formula-like text stays text
    assert Entry.objects.get(voucher_type__code="FV", number=7).date == date(2026, 3, 6)
    cliente = ThirdParty.objects.get(number="900123456")
    assert (cliente.check_digit, cliente.business_name, cliente.person_type) == (
        "8",
        "Cliente Uno S.A.S.",
        "juridica",
    )
    assert ThirdParty.objects.get(number="800197268").check_digit == "4"  # a company's NIT: DV computed
    assert CostCenter.objects.get(code="VEN").name == "VEN"


def test_importing_the_same_file_again_creates_nothing_and_a_changed_comprobante_is_refused(
    books, bookkeeper
):
    journal_process(job_id=journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper).pk)
    again = journal_process(
        job_id=journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper).pk
    )
    assert journal_summary(again).line() == "entries=0 lines=0 skipped=2 errors=0"
    changed = [row[:] for row in GOOD]
    changed[3][8], changed[4][9] = "600", "600"
    job = journal_preview(file_name="b.csv", data=csv_file(changed), user=bookkeeper)
    assert job.entries.get(voucher_code="FV").plan == "error"
    assert "FV-7 is already in the books with other lines" in " ".join(
        job.entries.get(voucher_code="FV").messages
    )
    assert Entry.objects.count() == 2


def test_processing_twice_posts_each_comprobante_once(books, bookkeeper):
    job = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    journal_process(job_id=job.pk)
    JournalImportEntry.objects.filter(job=job).update(outcome="")  # as if a worker died before recording
    job = journal_process(job_id=job.pk)
    assert Entry.objects.count() == 2
    assert set(job.entries.values_list("outcome", flat=True)) == {"skipped"}


def test_a_run_that_finds_the_rest_taken_by_another_run_leaves_the_job_to_it(books, bookkeeper, monkeypatch):
    job = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    # Another run of the job (a resume while this one was slow) holds the chunks: skip_locked finds none.
    monkeypatch.setattr("books.services.journal._post_chunk", lambda job, user: False)
    assert journal_process(job_id=job.pk).status == "running"  # not done while comprobantes wait
    monkeypatch.undo()
    job = journal_process(job_id=job.pk)
    assert (job.status, job.posted_count, Entry.objects.count()) == ("done", 2, 2)


def test_xlsx_with_real_dates_and_numbers(books, bookkeeper):
    day = datetime(2026, 3, 9)  # noqa: DTZ001 - a spreadsheet's date cell has no time zone
    rows = [
        ["RC", 3, day, 110505, None, None, None, "Recaudo", 1234567.89, None],
        ["RC", 3, day, 130505, 900123456, "Cliente Uno", None, "Recaudo", None, 1234567.89],
        ["RC", 4, 46090, "110505", None, None, None, None, 100.005, None],
        ["RC", 4, 46090, "130505", None, None, None, None, None, 100.005],
    ]
    job = journal_process(
        job_id=journal_preview(file_name="caja.xlsx", data=xlsx_file(rows), user=bookkeeper).pk
    )
    rc3 = Entry.objects.get(voucher_type__code="RC", number=3)
    assert rc3.total == Decimal("1234567.89") and rc3.date == date(2026, 3, 9)
    assert "2 decimals" in " ".join(job.entries.get(number=4).messages)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"", "empty"),
        ("a.pdf", b"%PDF-1.4", "not a supported format"),
        ("a.xlsx", b"not a zip", "not one"),
        ("a.csv", "Cuenta;Débito;Crédito\n110505;1;\n".encode(), "Required columns are missing"),
        ("a.csv", (";".join(HEADER) + ";Extra\n").encode(), "does not know"),
    ],
)
def test_file_problems_are_explained(books, bookkeeper, name, data, message):
    with pytest.raises(FileProblem, match=message):
        journal_preview(file_name=name, data=data, user=bookkeeper)


def test_headers_are_matched_loosely_and_spanish_excel_csv_is_read(books, bookkeeper):
    header = [
        "TIPO",
        "numero",
        "FECHA",
        "Cuenta",
        "NIT",
        "Nombre tercero",
        "Centro",
        "Detalle",
        "Debe",
        "Haber",
    ]
    data = csv_file(GOOD, header=header).decode("utf-8").encode("cp1252")
    job = journal_preview(file_name="excel.csv", data=data, user=bookkeeper)
    assert job.to_post == 2


def test_the_command_prints_refused_comprobantes_and_a_summary(
    books, bookkeeper, company_pena, tmp_path, capsys
):
    path = tmp_path / "diario.csv"
    path.write_bytes(csv_file(GOOD + list(BAD[0][:2])))
    out = io.StringIO()
    call_command("import_entries", "--company", "900.123.456-8", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == "entries=2 lines=5 skipped=0 errors=1"
    assert not Entry.objects.exists()
    out = io.StringIO()
    call_command("import_entries", "--company", company_pena.slug, str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("CC-2: ") and "differ by 10" in lines[0]
    assert lines[-1] == "entries=2 lines=5 skipped=0 errors=1"
    assert Entry.objects.count() == 2


@pytest.mark.parametrize(("content", "message"), [(b"", "empty"), (None, "cannot be read")])
def test_the_command_exits_2_for_a_file_problem(books, company_pena, tmp_path, content, message):
    path = tmp_path / "vacio.csv"
    if content is not None:
        path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_entries", "--company", company_pena.slug, str(path), stderr=err)
    assert exit_code.value.code == 2 and message in err.getvalue()


def test_opening_balances_become_one_balanced_si_comprobante(books, bookkeeper):
    header = ["Cuenta", "NIT del tercero", "Nombre del tercero", "Centro de costo", "Débito", "Crédito"]
    rows = [
        ["110505", "", "", "", "5.000.000", ""],
        ["130505", "900123456-8", "Cliente Uno", "", "2.000.000", ""],
        ["311505", "", "", "", "", "7.000.000"],
    ]
    entry = opening_balances_post(
        file_name="saldos.csv", data=csv_file(rows, header), day=date(2025, 12, 31), user=bookkeeper
    )
    assert (
        entry.voucher_type.code == "SI" and entry.status == "posted" and entry.total == Decimal("7000000.00")
    )
    assert entry.lines.get(account_id="130505").third_party.business_name == "Cliente Uno"
    unbalanced = [*rows[:2], ["311505", "", "", "", "", "6.999.000"]]
    with pytest.raises(OpeningRefused) as refused:
        opening_balances_post(
            file_name="s.csv", data=csv_file(unbalanced, header), day=date(2025, 12, 31), user=bookkeeper
        )
    assert "differ by 1,000.00" in " ".join(refused.value.messages)
    assert Entry.objects.count() == 1


def test_the_same_opening_balances_sent_twice_are_posted_once(books, bookkeeper):
    """A double click, or the form sent again after an answer that never arrived."""
    header = ["Cuenta", "NIT del tercero", "Nombre del tercero", "Centro de costo", "Débito", "Crédito"]
    rows = [
        ["130505", "900123456-8", "Cliente Uno", "", "2.000.000", ""],
        ["311505", "", "", "", "", "2000000"],
    ]
    data = csv_file(rows, header)
    first = opening_balances_post(file_name="saldos.csv", data=data, day=date(2025, 12, 31), user=bookkeeper)
    with pytest.raises(OpeningRefused) as refused:
        opening_balances_post(file_name="saldos.csv", data=data, day=date(2025, 12, 31), user=bookkeeper)
    assert refused.value.messages == [
        f"These opening balances are already in the books as {first.label} of 12/31/2025."
    ]
    other_day = opening_balances_post(
        file_name="saldos.csv", data=data, day=date(2024, 12, 31), user=bookkeeper
    )
    assert Entry.objects.filter(source="opening").count() == 2 and other_day.pk != first.pk


def test_template_and_report_files(books, bookkeeper):
    sheet = load_workbook(io.BytesIO(journal_template_xlsx())).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert journal_template_csv().decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)  # English: commas
    with translation.override("es-co"):
        assert journal_template_csv().decode("utf-8-sig").splitlines()[0] == ";".join(HEADER)
    # Both templates import as they are.
    for language in ("en", "es-co"):
        with translation.override(language):
            template = journal_template_csv()
        assert journal_preview(file_name="plantilla.csv", data=template, user=bookkeeper).to_post == 1
    # The template's example rows import as they are.
    job = journal_preview(file_name="plantilla.xlsx", data=journal_template_xlsx(), user=bookkeeper)
    assert job.to_post == 1
    job = journal_process(
        job_id=journal_preview(file_name="a.csv", data=csv_file(GOOD + list(BAD[0][:2])), user=bookkeeper).pk
    )
    report = load_workbook(io.BytesIO(journal_report_xlsx(job))).worksheets[0]
    results = [(row[0].value, row[1].value, row[5].value) for row in report.iter_rows(min_row=2)]
    assert results == [("CC", 1, "Posted"), ("FV", 7, "Posted"), ("CC", 2, "Refused")]


def _job_page(client, company, job, path="") -> str:
    try:
        return client.get(f"/c/{company.slug}/comprobantes/importar/{job.pk}/{path}").content.decode()
    finally:
        connection.set_tenant(company)  # the request leaves the connection in the public schema


def test_a_file_imported_before_is_told_so_not_to_correct_it(
    books, bookkeeper, linked_company, accountant_client
):
    journal_process(job_id=journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper).pk)
    again = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    page = _job_page(accountant_client, linked_company, again)
    assert "Este archivo ya se importó: todos sus comprobantes ya están en los libros" in page
    assert "Corrige el archivo" not in page and "Ningún comprobante se puede contabilizar" not in page
    # A file with errors and nothing to post is still told to correct them.
    refused = journal_preview(file_name="b.csv", data=csv_file(list(BAD[0][:2])), user=bookkeeper)
    page = _job_page(accountant_client, linked_company, refused)
    assert "Ningún comprobante se puede contabilizar" in page and "Corrige el archivo" in page


def test_a_line_of_zeros_and_three_decimals_get_their_own_message(books, bookkeeper):
    rows = [
        ["CC", "21", "2026-03-05", "110505", "", "", "", "", "100", ""],
        ["CC", "21", "2026-03-05", "413595", "", "", "", "", "", "100"],
        ["CC", "21", "2026-03-05", "519530", "", "", "", "", "0", "0"],
        ["CC", "22", "2026-03-05", "110505", "", "", "", "", "1000.125", ""],
        ["CC", "22", "2026-03-05", "413595", "", "", "", "", "", "1000.125"],
        ["CC", "23", "2026-03-05", "110505", "", "", "", "", "10000.005", ""],
        ["CC", "23", "2026-03-05", "413595", "", "", "", "", "", "10000.005"],
        ["CC", "24", "2026-03-05", "110505", "", "", "", "", "1.2.3,4", ""],
        ["CC", "24", "2026-03-05", "413595", "", "", "", "", "", "123,40"],
    ]
    with translation.override("es"):
        job = journal_preview(file_name="a.csv", data=csv_file(rows), user=bookkeeper)
    messages = {e.number: " ".join(e.messages) for e in job.entries.all()}
    assert messages[21] == "Fila 4: la línea no tiene valor: escribe su débito o su crédito"
    assert messages[22] == (
        "Fila 5: los valores tienen máximo dos decimales Fila 6: los valores tienen máximo dos decimales"
    )
    assert messages[23].startswith("Fila 7: los valores tienen máximo dos decimales")
    assert messages[24].startswith("Fila 9: “1.2.3,4” no es un valor")  # refused, not read as 123,40
    assert set(job.entries.values_list("plan", flat=True)) == {"error"}


def test_the_confirm_button_counts_with_thousands_separators(
    books, bookkeeper, linked_company, accountant_client
):
    from books.models import JournalImport

    job = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    JournalImport.objects.filter(pk=job.pk).update(to_post=2601)
    assert "Contabilizar 2.601 comprobantes" in _job_page(accountant_client, linked_company, job)
    accountant_client.cookies["django_language"] = "en"
    assert "Post 2,601 comprobantes" in _job_page(accountant_client, linked_company, job)


def test_the_finished_progress_box_does_not_ask_to_reload(
    books, bookkeeper, linked_company, accountant_client
):
    job = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    journal_confirm(job=job, company_id=linked_company.pk)
    assert "Recarga para ver el progreso" in _job_page(accountant_client, linked_company, job, "progreso/")
    journal_process(job_id=job.pk, user=bookkeeper)
    finished = _job_page(accountant_client, linked_company, job, "progreso/")
    assert "Terminada" in finished and "Recarga para ver el progreso" not in finished


@pytest.mark.parametrize("change", ["deactivated", "sub-account"])
def test_accounts_are_checked_again_when_posting(books, bookkeeper, change):
    """An account deactivated, or given a sub-account, between the preview and the confirmation: that
    comprobante is refused with the reason, the others are posted."""
    from books.models import Account
    from books.services.chart import account_create, account_update

    job = journal_preview(file_name="a.csv", data=csv_file(GOOD), user=bookkeeper)
    assert job.to_post == 2
    if change == "deactivated":
        account = Account.objects.get(code="130505")
        account_update(
            account=account,
            name=account.name,
            nature=account.nature,
            is_active=False,
            requires_third_party=account.requires_third_party,
            requires_cost_center=account.requires_cost_center,
        )
        refused, posted, reason = "FV", "CC", "Row 5: account 130505 is inactive"
    else:
        account_create(parent=Account.objects.get(code="110505"), code="11050501", name="Caja menor")
        refused, posted, reason = "CC", "FV", "Row 2: account 110505 has sub-accounts"
    job = journal_process(job_id=job.pk, user=bookkeeper)
    assert (job.status, job.posted_count, job.error_count) == ("done", 1, 1)
    failed = job.entries.get(outcome="failed")
    assert failed.voucher_code == refused and any(m.startswith(reason) for m in failed.messages)
    assert list(Entry.objects.values_list("voucher_type__code", "status")) == [(posted, "posted")]


def test_a_large_but_legal_workbook_still_imports(books, bookkeeper):
    """Its texts unpack to almost the 10 MB allowed and it carries a 15 MB image: read and posted."""
    import zipfile

    from core.tables import MB
    from tests.core.test_tables import rows_of, texts, with_parts

    data = xlsx_file(GOOD)  # its cells hold their texts; the shared texts part is added, all but full
    source = zipfile.ZipFile(io.BytesIO(data))
    shared = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    link = f'<Relationship Id="rId9" Type="{relation}" Target="sharedStrings.xml"/></Relationships>'
    texts_xml = "".join(f"<si><t>{text}</t></si>" for text in texts(10 * MB - 20_000))
    data = with_parts(
        data,
        {
            "[Content_Types].xml": source.read("[Content_Types].xml").replace(
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{shared}"/></Types>'.encode(),
            ),
            "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels").replace(
                b"</Relationships>",
                link.encode(),
            ),
            "xl/sharedStrings.xml": (
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + texts_xml
                + "</sst>"
            ).encode(),
            "xl/media/image1.png": rows_of(15 * MB).encode(),
        },
    )
    sizes = {entry.filename: entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert 10 * MB - 30_000 < sizes["xl/sharedStrings.xml"] <= 10 * MB and len(data) < 2 * MB
    job = journal_process(
        job_id=journal_preview(file_name="grande.xlsx", data=data, user=bookkeeper).pk, user=bookkeeper
    )
    assert (job.status, job.posted_count, job.error_count) == ("done", 2, 0)
    assert Entry.objects.get(voucher_type__code="CC", number=1).total == Decimal("1190000.00")


# Issue 18: numbers, consecutives, amounts, dates and the database's refusals in an import -----------------


def _pair(voucher, number, day="2026-03-05", amount="100"):
    return [
        [voucher, number, day, "110505", "", "", "", "", amount, ""],
        [voucher, number, day, "413595", "", "", "", "", "", amount],
    ]


def _messages(job) -> dict[str, str]:
    """{"ND-7/12": its messages}: type, number ("?" when refused) and first row of each comprobante."""
    return {
        f"{e.voucher_code}-{e.number or '?'}/{e.rows[0]}": " ".join(e.messages) for e in job.entries.all()
    }


def test_numbers_dates_and_amounts_out_of_bounds_are_row_errors(books, bookkeeper):
    rows = [
        *_pair("ND", "2147483647"),  # near 2^31: the number once moved the consecutive past the integers
        *_pair("ND", "1000000000"),
        *_pair("ND", "3", day="0001-01-01"),
        *_pair("ND", "4", day="1900-01-01"),
        *_pair("ND", "5", day="9999-12-31"),
        *_pair("ND", "6", amount="10000000000000000"),
        *_pair("ND", "7", amount="999999999999999.99"),
    ]
    job = journal_preview(file_name="nd.csv", data=csv_file(rows), user=bookkeeper)
    messages = _messages(job)
    assert "Row 2: A comprobante number is from 1 to 999,999,999." in messages["ND-?/2"]
    assert "Row 4: A comprobante number is from 1 to 999,999,999." in messages["ND-?/4"]
    assert "The date 01/01/0001 is outside the books' dates: from 01/01/1990 to " in messages["ND-3/6"]
    assert "The date 01/01/1900 is outside" in messages["ND-4/8"]
    assert "The date 12/31/9999 is outside" in messages["ND-5/10"]
    assert "Row 12: amounts are at most 999,999,999,999,999.99" in messages["ND-6/12"]
    assert job.to_post == 1  # the largest amount is fine
    job = journal_process(job_id=job.pk, user=bookkeeper)
    assert Entry.objects.get(voucher_type__code="ND").total == Decimal("999999999999999.99")


def test_a_numeric_cell_of_1e16_is_refused_with_its_row(books, bookkeeper):
    rows = [
        ["ND", 1, date(2026, 3, 5), "110505", None, None, None, None, 1e16, None],
        ["ND", 1, date(2026, 3, 5), "413595", None, None, None, None, None, 1e16],
    ]
    job = journal_preview(file_name="nd.xlsx", data=xlsx_file(rows), user=bookkeeper)
    assert "Row 2: amounts are at most 999,999,999,999,999.99" in job.entries.get().messages[0]


def test_the_preview_says_which_consecutives_the_import_moves(books, bookkeeper):
    from books.models import VoucherType
    from books.services.journal import journal_consecutive_moves

    VoucherType.objects.filter(code="ND").update(next_number=12)
    rows = [*_pair("ND", "500"), *_pair("ND", "7"), *_pair("NC", "1"), *_pair("NC", "9", amount="-1")]
    job = journal_preview(file_name="notas.csv", data=csv_file(rows), user=bookkeeper)
    # ND-500 moves ND's consecutive; NC-1 moves NC's from 1 to 2; a refused NC-9 moves nothing.
    assert journal_consecutive_moves(job) == [("NC", 1, 2), ("ND", 12, 501)]
    journal_process(job_id=job.pk, user=bookkeeper)
    assert VoucherType.objects.get(code="ND").next_number == 501


def test_the_database_refusals_in_an_import_are_the_translated_rules_not_the_triggers_text(
    books, bookkeeper, monkeypatch
):
    """The checks of the app switched off for the posting (as if a lock date came in between): PostgreSQL
    refuses each comprobante, and each row says why in the accountant's language."""
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    rows = [*_pair("CC", "1", day="2026-01-10"), *_pair("CC", "2", day="2026-03-10")]
    rows[3][9] = "99.99"  # CC-2 one cent short
    monkeypatch.setattr("books.services.entries.Ledger.check", lambda self, lines, **kwargs: [])
    monkeypatch.setattr("books.services.entries._period_held", lambda days, **kwargs: None)
    job = journal_preview(file_name="a.csv", data=csv_file(rows), user=bookkeeper)
    assert job.to_post == 2
    with translation.override("es"):
        job = journal_process(job_id=job.pk, user=bookkeeper)
    messages = dict(job.entries.values_list("number", "messages"))
    assert messages[1] == [
        "Los libros están bloqueados hasta el 31/01/2026: el 10/01/2026 está en un periodo cerrado."
    ]
    assert messages[2] == ["Los débitos (100,00) y los créditos (99,99) difieren en 0,01."]
    assert not Entry.objects.exclude(status="draft").exists()


def test_a_lock_date_set_between_the_preview_and_the_posting_refuses_with_a_message(books, bookkeeper):
    job = journal_preview(
        file_name="a.csv", data=csv_file(_pair("CC", "1", day="2026-01-10")), user=bookkeeper
    )
    period_lock(until=date(2026, 1, 31), user=bookkeeper)
    job = journal_process(job_id=job.pk, user=bookkeeper)
    assert job.entries.get().messages == [
        "The books are locked up to 01/31/2026: 01/10/2026 is in a closed period."
    ]
