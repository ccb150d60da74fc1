import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.models import User
from bulk_import.models import ImportJob, ImportRow
from bulk_import.services import import_confirm, import_preview, import_process, import_summary
from bulk_import.spreadsheets import report_xlsx
from firms.models import Company, CompanyAccess, CompanyMember
from invitations.models import Invitation
from invitations.services.create import link_request_dispatch
from tests.factories import LinkRequestFactory, valid_nit
from tests.invitations.conftest import deliver_all
from tests.schemas import drop_schema

from .files import HEADERS, csv_bytes

NITS = [f"{n}-{valid_nit(n)[1]}" for n in range(901_000_000, 901_000_010)]
MONTHS = [
    ""
] + "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-co"):
        yield


def _preview(workspace, accountant, rows, headers=HEADERS):
    return import_preview(
        workspace=workspace, user=accountant, file_name="clientes.csv", data=csv_bytes(rows, headers)
    )


def _plans(job):
    return {row.row_number: row.plan for row in job.rows.all()}


def test_preview_plans_each_outcome_and_writes_no_company(
    workspace, accountant, company_andes, linked_company
):
    LinkRequestFactory(workspace=workspace, name="Pendiente", tax_id="901000020")
    before = Company.objects.count()
    job = _preview(
        workspace,
        accountant,
        [
            ["Nueva Uno", NITS[0], "3001234567", "uno@example.com"],  # 2 add (to create)
            ["Andes", "860.002.964-4", "", ""],  # 3 add (exists: a link request, not said before confirming)
            ["Peña", "900.123.456-8", "", ""],  # 4 already linked: skip
            ["Pendiente", f"901000020-{valid_nit(901000020)[1]}", "", ""],  # 5 my request: add
            ["", NITS[1], "", ""],  # 6 name missing
            ["Mala", "900.123.456-7", "", ""],  # 7 wrong check digit
            ["Correo", NITS[2], "", "no-es-correo"],  # 8 bad e-mail
            ["Teléfono", NITS[3], "12345", ""],  # 9 bad phone
            ["Fijo", NITS[4], "601 234 5678", ""],  # 10 a Bogotá landline, not a mobile
            ["Repetida", NITS[0], "", ""],  # 11 duplicate of row 2
            ["Suma", NITS[5], "+1+1", ""],  # 12 not a phone number at all
        ],
    )
    assert Company.objects.count() == before
    assert _plans(job) == {
        2: "add",
        3: "add",
        4: "skip",
        5: "add",
        6: "error",
        7: "error",
        8: "error",
        9: "error",
        10: "error",
        11: "error",
        12: "error",
    }
    messages = {row.row_number: row.messages[0] for row in job.rows.filter(plan="error")}
    assert messages[6] == "Fila 6, columna “Nombre de la empresa”: falta el nombre de la empresa"
    assert (
        "Fila 7" in messages[7]
        and "NIT o identificación" in messages[7]
        and "dígito de verificación" in messages[7]
    )
    assert "Fila 8" in messages[8] and "Correo electrónico (opcional)" in messages[8]
    assert "Fila 9" in messages[9] and "celular" in messages[9]
    assert "Fila 10" in messages[10]
    assert "fila 2" in messages[11]
    assert messages[12] == (
        "Fila 12, columna “Teléfono celular (opcional)”: “+1+1” no es un número celular válido para Colombia"
    )
    assert job.rows_to_process == 3 and job.total_rows == 11  # "Confirmar 3 filas": the rows to add
    assert import_summary(job).line() == "created=3 linked=0 skipped=1 errors=7"


def test_the_preview_does_not_tell_which_tax_ids_already_have_an_account(
    workspace, accountant, company_andes, client_member
):
    job = _preview(workspace, accountant, [["Andes", "860.002.964-4", "", ""], ["Nueva", NITS[0], "", ""]])
    andes, nueva = job.rows.order_by("row_number")
    assert (
        (andes.plan, andes.detail)
        == (nueva.plan, nueva.detail)
        == ("add", "se agregará a tu Espacio Contador")
    )
    assert andes.company is None and nueva.company is None


def test_preview_skips_a_company_that_declined_this_workspace_less_than_30_days_ago(
    workspace, accountant, outsider
):
    """After a decline the same workspace may ask again only after LINK_REQUEST_BLOCK_DAYS (30): the preview
    says when, and another workspace's decline, or one 31 days old, does not hold the row back."""
    now = timezone.now()
    recent, old, theirs = (nit.split("-")[0] for nit in NITS[5:8])

    def declined(tax_id, at, who=workspace):
        LinkRequestFactory(workspace=who, tax_id=tax_id, status="declined", status_changed_at=at)

    declined(recent, now - timedelta(days=29, hours=23))
    declined(old, now - timedelta(days=30, minutes=1))
    declined(theirs, now - timedelta(days=1), who=outsider.workspace_memberships.get().workspace)
    job = _preview(
        workspace,
        accountant,
        [["Reciente", NITS[5], "", ""], ["Antigua", NITS[6], "", ""], ["De otro", NITS[7], "", ""]],
    )
    assert _plans(job) == {2: "skip", 3: "add", 4: "add"}
    on, again = (
        timezone.localtime(now - timedelta(days=29, hours=23)).date() + timedelta(days=d) for d in (0, 30)
    )
    assert job.rows.get(row_number=2).detail == (
        f"la empresa rechazó tu solicitud el {on.day} de {MONTHS[on.month]} de {on.year}; puedes volver a "
        f"pedirla desde el {again.day} de {MONTHS[again.month]} de {again.year}"
    )


@pytest.mark.parametrize("raw", ["900.123.456-8", "9001234568", "900123456 8"])
def test_preview_accepts_the_colombian_ways_of_writing_a_nit(workspace, accountant, raw):
    Company.objects.filter(tax_id="900123456").delete()
    job = _preview(workspace, accountant, [["Peña", raw, "", ""]])
    assert job.rows.get().tax_id == "900123456" and job.rows.get().check_digit == "8"


def test_preview_reads_the_country_column(workspace, accountant):
    job = _preview(
        workspace,
        accountant,
        [["Andina", "20131312955", "", "", "Perú"], ["Otra", NITS[0], "", "", ""]],
        headers=[*HEADERS, "País"],
    )
    assert [(r.country, r.plan) for r in job.rows.all()] == [("PE", "add"), ("CO", "add")]


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("Colombia", "CO"),
        ("colombia", "CO"),
        ("CO", "CO"),
        ("co", "CO"),
        ("Col", "CO"),
        ("COLOMBIA ", "CO"),
        ("Perú", "PE"),
        ("PERU", "PE"),
        ("Mexico", "MX"),
        ("méxico", "MX"),
        ("EE. UU.", "US"),
        ("United States", "US"),
        ("España", "ES"),
        ("Spain", "ES"),
        ("Rep. Dominicana", "DO"),
    ],
)
def test_preview_matches_country_names_and_codes_loosely(workspace, accountant, written, country):
    job = _preview(workspace, accountant, [["Andina", NITS[0], "", "", written]], headers=[*HEADERS, "País"])
    row = job.rows.get()
    assert row.country == country
    assert not any("versión de país" in message for message in row.messages)


@pytest.mark.parametrize("written", ["Ecuador", "Venezuela", "Colombiaa", "C", "X" * 300])
def test_preview_refuses_an_unsupported_country_naming_the_supported_ones(workspace, accountant, written):
    job = _preview(
        workspace,
        accountant,
        [["Andina", NITS[0], "", "", written], ["Otra", NITS[1], "", "", "Colombia"]],
        headers=[*HEADERS, "País"],
    )
    bad, good = job.rows.all()
    assert (bad.plan, bad.country) == ("error", "")
    (message,) = bad.messages
    assert message.startswith("Fila 2, columna “País”: ")
    assert "no es una versión de país del producto" in message
    assert "Argentina, Chile, Colombia, Costa Rica, España" in message and "México, Panamá, Perú" in message
    assert (good.plan, good.country) == ("add", "CO")


def test_preview_refuses_an_e_mail_longer_than_the_column(workspace, accountant):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".co"
    job = _preview(workspace, accountant, [["Andina", NITS[0], "", email]])
    assert (
        job.rows.get().plan == "error" and "no es un correo electrónico válido" in job.rows.get().messages[0]
    )


def test_processing_creates_links_and_skips(
    workspace, accountant, company_andes, client_member, linked_company
):
    job = _preview(
        workspace,
        accountant,
        [
            ["Nueva Uno", NITS[0], "300 123 4567", "uno@example.com"],
            ["Nueva Dos", NITS[1], "", ""],
            ["Andes", "860.002.964-4", "", ""],
            ["Peña", "900.123.456-8", "", ""],
            ["", NITS[2], "", ""],
        ],
    )
    import_confirm(job=job)
    job = import_process(job_id=job.pk)
    assert job.status == "done" and job.processed_rows == 3
    assert import_summary(job).line() == "created=2 linked=1 skipped=1 errors=1"
    andes_row = job.rows.get(row_number=4)
    assert andes_row.outcome == "linked" and "sus administradores" in andes_row.detail  # after confirming
    uno = Company.objects.get(tax_id=NITS[0][:9])
    assert uno.phone == "+573001234567" and uno.provisioning_status == "pending"
    assert (
        CompanyAccess.objects.get(workspace=workspace, company=uno).status == "active"
    )  # automatic credentials
    owner = CompanyMember.objects.get(company=uno).user
    assert owner.email == "uno@example.com" and not owner.is_active and not owner.has_usable_password()
    assert Invitation.objects.get(company=uno).kind == "activation"
    dos = Company.objects.get(tax_id=NITS[1][:9])
    assert not CompanyMember.objects.filter(company=dos).exists()  # no e-mail: no client login yet
    request = CompanyAccess.objects.get(workspace=workspace, tax_id="860002964")
    assert request.status == "pending" and request.company is None and request.name == "Andes"
    link_request_dispatch(access_id=request.pk)  # the worker asks company_andes's owner
    deliver_all()
    assert Invitation.objects.get(company=company_andes).recipient == client_member
    assert not any(
        "contraseña:" in message.body.lower() for message in mail.outbox
    )  # never a password by e-mail


def test_processing_twice_creates_nothing_twice(workspace, accountant):
    job = _preview(workspace, accountant, [["Nueva Uno", NITS[0], "", ""], ["Nueva Dos", NITS[1], "", ""]])
    import_confirm(job=job)
    import_process(job_id=job.pk)
    ImportRow.objects.filter(job=job).update(outcome="")  # as if the outcomes had been lost
    job = import_process(job_id=job.pk)
    assert Company.objects.filter(tax_id__in=[NITS[0][:9], NITS[1][:9]]).count() == 2
    assert set(job.rows.values_list("outcome", flat=True)) == {"skipped"}


def test_uploading_the_same_file_again_creates_nothing_new(workspace, accountant):
    rows = [["Nueva Uno", NITS[0], "", "uno@example.com"], ["Nueva Dos", NITS[1], "", ""]]
    first = _preview(workspace, accountant, rows)
    import_confirm(job=first)
    import_process(job_id=first.pk)
    second = _preview(workspace, accountant, rows)
    assert set(_plans(second).values()) == {"skip"}
    import_confirm(job=second)
    import_process(job_id=second.pk)
    assert Company.objects.filter(tax_id__in=[NITS[0][:9], NITS[1][:9]]).count() == 2
    assert User.objects.filter(email="uno@example.com").count() == 1


def test_invite_the_client_later_from_the_company_page(accountant_client, workspace, accountant):
    job = _preview(workspace, accountant, [["Sin Correo", NITS[0], "", ""]])
    import_confirm(job=job)
    import_process(job_id=job.pk)
    company = Company.objects.get(tax_id=NITS[0][:9])
    try:
        page = accountant_client.get(company.get_absolute_url())  # provisioned on the spot
        assert "Invitar al cliente" in page.content.decode()
        response = accountant_client.post(
            f"/c/{company.slug}/invitar-cliente/", {"email": "dueno@sincorreo.co"}
        )
        assert response.status_code == 302
        assert CompanyMember.objects.get(company=company).user.email == "dueno@sincorreo.co"
        again = accountant_client.post(f"/c/{company.slug}/invitar-cliente/", {"email": "otro@sincorreo.co"})
        assert "Ya hay una invitación en camino" in again.content.decode()
        owner = CompanyMember.objects.get(company=company).user
        User.objects.filter(pk=owner.pk).update(is_active=True, awaiting_activation=False)
        page = accountant_client.get(company.get_absolute_url())
        assert "Invitar al cliente" not in page.content.decode()  # the company has an owner now
        again = accountant_client.post(f"/c/{company.slug}/invitar-cliente/", {"email": "otro@sincorreo.co"})
        assert "ya tiene un propietario" in again.content.decode()
    finally:
        drop_schema(company.schema_name)


def test_report_writes_formula_like_cells_as_text(workspace, accountant):
    job = _preview(
        workspace,
        accountant,
        [
            ['=HYPERLINK("http://evil")', NITS[0], "", ""],
            ["+57 cosa", NITS[1], "", ""],
            ["-1", NITS[2], "", ""],
            ["@SUM(A1)", NITS[3], "", ""],
        ],
    )
    sheet = load_workbook(io.BytesIO(report_xlsx(job))).active
    cells = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://evil")', "+57 cosa", "-1", "@SUM(A1)"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert sheet.cell(row=1, column=7).value == "Resultado"


def test_report_names_countries_not_codes(workspace, accountant):
    job = _preview(
        workspace,
        accountant,
        [["Andina", "20131312955", "", "", "Perú"], ["Otra", NITS[0], "", "", ""]],
        headers=[*HEADERS, "País"],
    )
    sheet = load_workbook(io.BytesIO(report_xlsx(job))).active
    assert [sheet.cell(row=r, column=4).value for r in (2, 3)] == ["Perú", "Colombia"]


def test_job_counts_and_progress(workspace, accountant):
    job = _preview(workspace, accountant, [["Nueva Uno", NITS[0], "", ""]])
    assert job.progress_percent == 0
    import_confirm(job=job)
    assert ImportJob.objects.get(pk=job.pk).status == "queued"
    job = import_process(job_id=job.pk)
    assert job.progress_percent == 100 and job.finished_at


def test_blank_rows_do_not_count_toward_the_row_limit_and_too_many_is_refused():
    from bulk_import.parsing import parse_spreadsheet
    from core.tables import FileProblem

    rows = [[f"Empresa {i}", NITS[0], "", ""] if i % 2 else ["", "", "", ""] for i in range(6001)]
    assert len(parse_spreadsheet(file_name="a.csv", data=csv_bytes(rows)).rows) == 3000
    with pytest.raises(FileProblem):
        parse_spreadsheet(
            file_name="a.csv", data=csv_bytes([[f"E {i}", NITS[0], "", ""] for i in range(5001)])
        )
