from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from books.models import Account
from firms.models import Company, CompanyAccess
from firms.services import provisioning
from firms.services.accesses import (
    access_request,
    access_request_accept,
    access_request_decline,
    access_request_match,
)
from firms.services.common import DomainError
from firms.services.companies import companies_create, company_create, company_new, company_update
from firms.services.provisioning import CompanyProvisioningError, company_provision
from firms.services.workspaces import workspace_create, workspace_set_plan
from firms.tax_ids import TaxId
from tests.factories import CompanyAccessFactory, CompanyFactory, UserFactory
from tests.schemas import drop_schema


def test_workspace_create_starts_a_trial_of_15_days(db):
    owner = UserFactory()
    workspace = workspace_create(owner=owner, name="  Contadores Núñez  ")
    assert workspace.name == "Contadores Núñez"
    assert workspace.trial_ends_on == timezone.localdate() + timedelta(days=15)
    assert workspace.members.get().user == owner


def test_workspace_set_plan_paid_records_when(workspace):
    workspace_set_plan(workspace=workspace, plan="paid")
    workspace.refresh_from_db()
    assert workspace.plan == "paid" and workspace.paid_since is not None


def test_company_create_lists_and_links_before_the_schema_exists(
    workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        access = company_create(
            name="Café Macondo S.A.S.", country="CO", tax_id=TaxId("901234567", "7"), workspace=workspace
        )
    company = access.company
    assert access.workspace == workspace and access.pk
    assert company.provisioning_status == "pending"
    assert not schema_exists(company.schema_name)
    assert company.schema_name.startswith("c_") and "901234567" not in company.slug
    assert CompanyAccess.objects.get(company=company).status == "active"
    assert len(callbacks) == 1  # the provisioning task, queued on commit


def test_company_create_refuses_a_duplicate_tax_id_per_country(workspace):
    company_create(name="Uno", country="CO", tax_id=TaxId("901234567", "7"), workspace=workspace)
    with pytest.raises(DomainError):
        company_create(name="Dos", country="CO", tax_id=TaxId("901234567", "7"), workspace=workspace)
    # another country: allowed
    company_create(name="Tres", country="PE", tax_id=TaxId("901234567", ""), workspace=workspace)


def test_companies_create_without_a_workspace_creates_no_access(db):
    (company,) = companies = [company_new(name="Sola", country="CO", tax_id=TaxId("901234567", "7"))]
    assert companies_create(companies=companies) == []
    assert company.pk and not CompanyAccess.objects.filter(company=company).exists()


def _broken_seeder(monkeypatch, error):
    def copy(**kwargs):
        raise error

    seeders = [*provisioning.SCHEMA_SEEDERS, provisioning.SchemaSeeder(seed_template=lambda: None, copy=copy)]
    monkeypatch.setattr(provisioning, "SCHEMA_SEEDERS", seeders)


def test_company_provision_creates_migrates_and_seeds_the_schema(db):
    company = CompanyFactory(name="Nueva", country="CO")
    try:
        company = company_provision(company_id=company.pk)
        assert company.provisioning_status == "ready" and company.provisioned_at
        with schema_context(company.schema_name):
            assert Account.objects.count() == 2471
        assert company_provision(company_id=company.pk).provisioning_status == "ready"  # safe to run twice
        with schema_context(company.schema_name):
            assert Account.objects.count() == 2471
    finally:
        drop_schema(company.schema_name)


def test_company_provision_failure_is_recorded_and_leaves_no_half_schema(db, monkeypatch):
    company = CompanyFactory(name="Fallida", country="CO")

    _broken_seeder(monkeypatch, RuntimeError("disk full"))
    with pytest.raises(CompanyProvisioningError):
        company_provision(company_id=company.pk)
    company.refresh_from_db()
    assert company.provisioning_status == "failed"
    assert "disk full" in company.provisioning_error
    assert not schema_exists(company.schema_name)


def test_failed_company_is_provisioned_again_when_entered(accountant_client, workspace, monkeypatch):
    company = CompanyFactory(name="Reintento", provisioning_status="failed")
    CompanyAccess.objects.create(workspace=workspace, company=company, status="active")
    try:
        assert accountant_client.get(company.get_absolute_url()).status_code == 200
        assert Company.objects.get(pk=company.pk).provisioning_status == "ready"
    finally:
        drop_schema(company.schema_name)


def test_entering_a_company_that_cannot_be_provisioned_shows_a_clear_page(
    accountant_client, workspace, monkeypatch
):
    company = CompanyFactory(name="Sin Esquema")
    CompanyAccess.objects.create(workspace=workspace, company=company, status="active")
    _broken_seeder(monkeypatch, ZeroDivisionError())
    response = accountant_client.get(company.get_absolute_url())
    assert response.status_code == 503
    assert "Intentar de nuevo" in response.content.decode()


# Link requests ---------------------------------------------------------------------------------------


def test_a_pending_access_cannot_point_at_a_company(workspace, company_andes):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyAccess.objects.create(workspace=workspace, company=company_andes, status="pending")


def test_access_request_keeps_what_was_typed_and_no_company(workspace, accountant, company_andes):
    access = access_request(
        workspace=workspace,
        name=" Andes ",
        country="CO",
        tax_id=TaxId("860002964", "4"),
        invited_by=accountant,
    )
    assert (access.company, access.matched_company, access.name) == (None, None, "Andes")
    assert access.formatted_tax_id == "860.002.964-4" and access.search_text == "andes 8600029644"
    assert access.requested_at and access.status == "pending"


def test_accepting_a_request_shows_the_companys_own_data_from_then_on(workspace, accountant, company_andes):
    access = access_request(
        workspace=workspace, name="Andes", country="CO", tax_id=TaxId("860002964", "4"), invited_by=accountant
    )
    with pytest.raises(DomainError):  # nothing matched yet: nothing to accept
        access_request_accept(access=access)
    access_request_match(access=access, company=company_andes)
    access = access_request_accept(access=access)
    assert access.company == company_andes and access.name == company_andes.name and access.activated_at
    with pytest.raises(DomainError):
        access_request_decline(access=access)


def test_companies_create_turns_the_workspaces_request_for_that_tax_id_into_its_access(workspace, accountant):
    request = access_request(
        workspace=workspace, name="Nueva", country="CO", tax_id=TaxId("901234567", "7"), invited_by=accountant
    )
    (access,) = companies_create(
        companies=[company_new(name="Nueva S.A.S.", country="CO", tax_id=TaxId("901234567", "7"))],
        workspace=workspace,
        provision=False,
    )
    assert access.pk == request.pk and access.status == "active" and access.company.name == "Nueva S.A.S."


def test_company_update_renames_the_company_in_every_workspace_list(workspace, company_andes):
    other = CompanyAccessFactory(company=company_andes)
    mine = CompanyAccessFactory(workspace=workspace, company=company_andes)
    company_update(company=company_andes, name="Distribuidora Andina S.A.S.")
    for access in (other, mine):
        access.refresh_from_db()
        assert access.name == "Distribuidora Andina S.A.S." and "andina sas" in access.search_text


def test_company_update_refuses_colombian_fields_abroad_and_a_division_of_another_sector(
    company_mx, company_andes
):
    with pytest.raises(DomainError, match="colombianas"):
        company_update(company=company_mx, tax_responsibilities=["48"])
    with pytest.raises(DomainError):
        company_update(company=company_mx, person_type="natural", given_names="Ana", surnames="Ruiz")
    with pytest.raises(DomainError, match="47"):
        company_update(company=company_andes, sector="C", ciiu_division="47")
    company_update(company=company_andes, sector="G", ciiu_division="47")
    company_andes.refresh_from_db()
    assert (company_andes.sector, company_andes.ciiu_division) == ("G", "47")


def test_company_search_text_ignores_punctuation(db):
    company = company_new(name="Peña & Cía. S.A.S.", country="CO", tax_id=TaxId("901234567", "7"))
    company.fill_derived_fields()
    assert company.search_text == "pena cia sas 9012345677"
