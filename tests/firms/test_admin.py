import pytest
from django.urls import reverse

from accounts.models import User
from firms.models import Workspace

ADMIN_MODELS = [
    "accounts/user",
    "invitations/invitation",
    "bulk_import/importjob",
    "indicators/resource",
    "indicators/benefit",
    "indicators/taxobligation",
    "indicators/nonbusinessday",
    "indicators/duedateoverride",
    "firms/workspace",
    "firms/company",
    "firms/companyaccess",
    "firms/companymember",
    "firms/workspacemember",
    "firms/notice",
]


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x"))
    return client


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_and_searches_every_model(admin_client, linked_company, model):
    assert admin_client.get(f"/admin/{model}/", {"q": "peña"}).status_code == 200
    # Invitations and imports are made by the accountants; the obligations come with the calendar's rules.
    if model not in {
        "invitations/invitation",
        "bulk_import/importjob",
        "indicators/taxobligation",
        "firms/notice",
    }:
        assert admin_client.get(f"/admin/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_is_closed_to_accountants(accountant_client, model):
    response = accountant_client.get(f"/admin/{model}/")
    assert response.status_code == 302 and "/login/" in response.url


def test_admin_marks_a_workspace_as_paid(admin_client, workspace):
    admin_client.post(
        reverse("admin:firms_workspace_changelist"),
        {"action": "mark_paid", "_selected_action": [workspace.pk]},
    )
    workspace.refresh_from_db()
    assert workspace.plan == Workspace.Plan.PAID and workspace.paid_since is not None


def test_admin_keeps_the_tax_id_and_schema_of_an_existing_company_read_only(admin_client, linked_company):
    form = admin_client.get(f"/admin/firms/company/{linked_company.pk}/change/").context["adminform"].form
    assert "tax_id" not in form.fields and "country" not in form.fields and "schema_name" not in form.fields
    assert "name" in form.fields


def test_admin_refuses_a_company_with_a_wrong_check_digit(admin_client):
    response = admin_client.post(
        "/admin/firms/company/add/",
        {
            "name": "Mala S.A.S.",
            "country": "CO",
            "tax_id": "901234567",
            "check_digit": "1",
            "accesses-TOTAL_FORMS": 0,
            "accesses-INITIAL_FORMS": 0,
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "dígito de verificación" in response.content.decode()


def test_admin_adds_a_non_business_day_and_the_calendar_moves(admin_client):
    from datetime import date

    from indicators.selectors import calendar_for_year

    before = {(r.obligation, r.period, r.nit_last_digits): r.due_date for r in calendar_for_year(2026)}
    response = admin_client.post(
        "/admin/indicators/nonbusinessday/add/", {"day": "2026-03-17", "name": "Paro nacional"}
    )
    assert response.status_code == 302
    after = {(r.obligation, r.period, r.nit_last_digits): r.due_date for r in calendar_for_year(2026)}
    assert (
        after[("iva_bimestral", "2026-01/02", "6")]
        == date(2026, 3, 18)
        != before[("iva_bimestral", "2026-01/02", "6")]
    )


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_column_headers_are_in_spanish(admin_client, linked_company, model):
    import re

    body = admin_client.get(f"/admin/{model}/").content.decode()
    headers = {h.strip() for h in re.findall(r'<div class="text">(?:<a[^>]*>|<span>)([^<]+)<', body)}
    english = {
        "Formatted tax id",
        "Tax id display",
        "Name",
        "Created at",
        "Status",
        "Company",
        "Kind",
        "Email",
    }
    with_rows = {"firms/company", "firms/companyaccess", "firms/workspace", "accounts/user"}
    assert headers or model not in with_rows
    assert not headers & english, headers


def test_admin_shows_dates_with_lower_case_months(admin_client, workspace):
    body = admin_client.get(f"/admin/firms/workspace/{workspace.pk}/change/").content.decode()
    body += admin_client.get("/admin/firms/workspace/").content.decode()
    months = ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre"]
    months += ["Octubre", "Noviembre", "Diciembre"]
    assert not [m for m in months if f" de {m} " in body or f"{m} de" in body]


def test_admin_renaming_a_company_renames_it_in_the_accountants_lists(
    admin_client, linked_company, workspace
):
    from firms.models import CompanyAccess

    data = {
        "name": "Panadería Peña Renombrada S.A.S.",
        "person_type": "juridica",
        "document_type": "nit",
        "sector": "C",
        "tax_responsibilities": ["05", "42", "48"],
        "iva_periodicity": "bimestral",
        "accesses-TOTAL_FORMS": "0",
        "accesses-INITIAL_FORMS": "0",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/firms/company/{linked_company.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CompanyAccess.objects.get(workspace=workspace).name == "Panadería Peña Renombrada S.A.S."
