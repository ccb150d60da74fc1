from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from stdnum.co import nit

from firms.models import Company, CompanyAccess, WorkspaceMember
from tests.urls_under_test import company_urls


def _seed(*args):
    out = StringIO()
    books = () if "--books" in args else ("--books", "0")  # books are slow; one test asks for them
    call_command("seed_demo", *args, *books, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_workspaces_with_valid_colombian_companies_in_varied_statuses(db):
    output = _seed("--workspaces", "2", "--companies", "25", "--password", "clave-demo-1")
    assert "demo1@example.com" in output and "demo2@example.com" in output and "clave-demo-1" in output
    for number in (1, 2):
        workspace = WorkspaceMember.objects.get(
            user__email=f"demo{number}@example.com", role="owner"
        ).workspace
        accesses = CompanyAccess.objects.filter(workspace=workspace).select_related("company")
        assert accesses.count() == 25
        assert {a.status for a in accesses} == {"active", "pending", "declined", "revoked"}
        assert all(nit.is_valid(a.tax_id + a.check_digit) for a in accesses)
        assert all(a.country == "CO" for a in accesses)
        # Requests show nothing of a company; only the declined ones matched one (a company that said no).
        assert all(a.company is None for a in accesses if a.status in ("pending", "declined"))
        assert not any(a.matched_company_id for a in accesses if a.status == "pending")
        assert all(a.company.tax_id == a.tax_id for a in accesses if a.status in ("active", "revoked"))


def test_seed_demo_is_idempotent(db):
    _seed("--workspaces", "2", "--companies", "5")
    _seed("--workspaces", "2", "--companies", "5")
    demo = CompanyAccess.objects.filter(workspace__members__user__email__startswith="demo")
    assert demo.count() == 10 and len({(a.workspace_id, a.tax_id) for a in demo}) == 10
    assert CompanyAccess.objects.count() == 10
    demo_companies = Company.objects.filter(tax_id__in=[a.tax_id for a in demo])
    assert demo_companies.count() == demo.exclude(status="pending").count()
    assert WorkspaceMember.objects.count() == 6  # each workspace: the owner, a contador and an auxiliar


def test_demo_login_works(client, db):
    _seed("--companies", "1", "--password", "clave-demo-2")
    assert client.login(username="demo1@example.com", password="clave-demo-2")


def test_demo2_gets_404_on_every_company_url_of_demo1(client, db):
    _seed("--workspaces", "2", "--companies", "3")
    client.login(username="demo2@example.com", password="demo-contador-2026")
    demo1_companies = Company.objects.filter(accesses__workspace__members__user__email="demo1@example.com")
    assert demo1_companies.count() == 3
    for company in demo1_companies:
        for app_url in company_urls():
            assert client.get(app_url.url(company)).status_code == 404, (company, app_url.name)


@pytest.mark.parametrize("args", [["--workspaces", "0"], ["--companies", "-1"]])
def test_seed_demo_refuses_bad_numbers(db, args):
    with pytest.raises(CommandError):
        _seed(*args)


def test_demo_logins_open_the_workspace_where_email_confirmation_is_mandatory(client, db, settings):
    """docker-compose runs the production settings (confirmation mandatory): the printed logins still work."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _seed("--companies", "1", "--admin", "--password", "clave-demo-3")
    for email, landing in (("demo1@example.com", "/contador/"), ("admin@example.com", "/contador/")):
        client.logout()
        response = client.post("/cuentas/login/", {"login": email, "password": "clave-demo-3"})
        assert response.status_code == 302 and response.url == landing, (email, response.url)
        assert client.get(landing).status_code == 200


def test_seed_demo_gives_the_first_companies_a_year_of_books(db):
    from django_tenants.utils import schema_context

    from books.models import Entry

    output = _seed("--companies", "4", "--books", "1")
    assert "1 con un año de contabilidad" in output or "1 with a year of books" in output
    demo = Company.objects.filter(accesses__workspace__members__user__email="demo1@example.com")
    ready = demo.filter(provisioning_status="ready")
    with_books = []
    for company in ready:
        with schema_context(company.schema_name):
            with_books.append(Entry.objects.filter(status="posted").count())
    assert len(with_books) == 1 and with_books[0] > 250
    # The board has its figures at once: the last comprobante of the company with books.
    from firms.models import CompanySnapshot

    snapshot = CompanySnapshot.objects.get(company=ready.get())
    assert snapshot.last_entry_date is not None and snapshot.refreshed_at is not None


def test_the_demo_team_sees_only_its_assignments(client, db):
    from firms.access import companies_for_user
    from firms.models import CompanyAssignment

    output = _seed("--companies", "8", "--password", "clave-demo-3")
    assert "contador.demo1@example.com" in output and "auxiliar.demo1@example.com" in output
    contador = WorkspaceMember.objects.get(user__email="contador.demo1@example.com")
    auxiliar = WorkspaceMember.objects.get(user__email="auxiliar.demo1@example.com")
    assert (contador.role, auxiliar.role) == ("accountant", "assistant")
    assert companies_for_user(contador.user).count() == 2 and companies_for_user(auxiliar.user).count() == 1
    assert CompanyAssignment.objects.filter(member=contador, is_responsible=True).count() == 2
    assert client.login(username="auxiliar.demo1@example.com", password="clave-demo-3")
