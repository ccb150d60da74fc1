"""The workspace and company-area URLs, read from the URLconf so that a new view is covered automatically."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

WORKSPACE_NAMESPACES = {"firms", "clients", "team", "resources", "tax"}
COMPANY_NAMESPACES = {"company", "books"}
# Namespaces outside the access helper, each on purpose: a new namespace must be added to one of the lists.
PUBLIC_NAMESPACES = {
    "admin": "Django admin: its own staff login",
    "invitations": "e-mailed links: the token is the key (tests/invitations)",
    "health": "health probes: no login, they show no data (tests/accountant_portal/test_health.py)",
}
OBJECT_KWARGS = {"access_id", "job_id", "member_id", "invitation_id", "assignment_id"}
TEAM_OBJECTS = {"member_id", "invitation_id", "assignment_id"}
BOOKS_OBJECTS = {"third_party_id", "cost_center_id", "voucher_type_id", "entry_id", "import_id", "export_id"}


@dataclass(frozen=True)
class AppUrl:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]

    @property
    def is_company_area(self) -> bool:
        return self.name.split(":")[0] in COMPANY_NAMESPACES

    @property
    def is_object_url(self) -> bool:
        """Points at one workspace object: another workspace's accountant must get 404."""
        return bool(OBJECT_KWARGS & set(self.kwargs))

    def url(self, company=None) -> str:
        """The URL for `company`: its slug, and the id of its (first) access for access URLs."""
        from firms.models import CompanyAccess

        values = {}
        for key in self.kwargs:
            if key == "company_slug":
                values[key] = company.slug
            elif key == "resource_id":
                values[key] = _resource().pk
            elif key == "fmt":
                values[key] = "xlsx"
            elif key == "job_id":
                values[key] = _import_job_for(company).pk
            elif key == "code":
                values[key] = "110505"
            elif key in BOOKS_OBJECTS:
                values[key] = _books_object(company, key)
            elif key in TEAM_OBJECTS:
                values[key] = _team_object(company, key)
            elif key == "access_id":
                values[key] = (
                    CompanyAccess.objects.filter(company=company)
                    .order_by("pk")
                    .values_list("pk", flat=True)[0]
                )
            else:
                raise AssertionError(f"{self.name}: no test value for URL argument {key!r}; add one here.")
        return reverse(self.name, kwargs=values)


def _walk(patterns, namespaces=(), kwargs=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, ns, kwargs + tuple(entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name and namespaces:
            yield AppUrl(":".join(namespaces + (entry.name,)), kwargs + tuple(entry.pattern.converters))


def app_urls() -> list[AppUrl]:
    every = list(_walk(get_resolver().url_patterns))
    unknown = {u.name.split(":")[0] for u in every} - WORKSPACE_NAMESPACES - COMPANY_NAMESPACES
    assert unknown <= set(PUBLIC_NAMESPACES), f"URL namespaces the access tests do not know: {unknown}"
    urls = [u for u in every if u.name.split(":")[0] in WORKSPACE_NAMESPACES | COMPANY_NAMESPACES]
    assert urls, "no workspace or company URLs found"
    return urls


def company_urls() -> list[AppUrl]:
    return [u for u in app_urls() if u.is_company_area]


def workspace_urls() -> list[AppUrl]:
    return [u for u in app_urls() if not u.is_company_area]


def _import_job_for(company):
    """An import job of the workspace that works on `company` (made for the URL tests)."""
    from bulk_import.models import ImportJob
    from firms.models import CompanyAccess

    workspace = CompanyAccess.objects.filter(company=company).order_by("pk").first().workspace
    job = ImportJob.objects.filter(workspace=workspace).first()
    return job or ImportJob.objects.create(workspace=workspace, file_name="prueba.csv")


def _team_object(company, key):
    """A team member, team invitation or assignment of the workspace that works on `company` (made for the
    URL tests): an assistant assigned to the company, invited first."""
    from firms.models import CompanyAccess, CompanyAssignment, WorkspaceMember
    from invitations.models import Invitation
    from tests.factories import UserFactory

    access = CompanyAccess.objects.filter(company=company).order_by("pk").first()
    if key == "invitation_id":
        invitation = Invitation.objects.filter(workspace=access.workspace, kind="team").first()
        if invitation is None:
            from django.utils import timezone

            user = UserFactory()
            invitation = Invitation.objects.create(
                kind="team",
                workspace=access.workspace,
                role="assistant",
                email=user.email,
                recipient=user,
                expires_at=timezone.now() + timezone.timedelta(days=7),
            )
        return invitation.pk
    member = WorkspaceMember.objects.filter(workspace=access.workspace, role="assistant").first()
    if member is None:
        member = WorkspaceMember.objects.create(
            workspace=access.workspace, user=UserFactory(), role="assistant"
        )
    if key == "member_id":
        return member.pk
    return CompanyAssignment.objects.get_or_create(access=access, member=member)[0].pk


def _resource():
    """An indicator for every country version (made for the URL tests)."""
    from indicators.models import Resource

    return Resource.objects.filter(countries=[]).first() or Resource.objects.create(
        kind="news", title="Prueba", summary="Para las pruebas de acceso"
    )


def _books_object(company, key):
    """An object of the company's books (made for the URL tests, in its schema)."""
    from datetime import date

    from django_tenants.utils import schema_context

    from books.models import CostCenter, Entry, JournalImport, ReportExport, ThirdParty, VoucherType
    from books.services.entries import LineInput, entry_save_draft

    if not company.is_ready:  # no books yet: any id (the test expects the company area to refuse first)
        return 1
    with schema_context(company.schema_name):
        if key == "third_party_id":
            third_party, _created = ThirdParty.objects.get_or_create(
                document_type="nit",
                number="800197268",
                defaults={"check_digit": "4", "person_type": "juridica", "business_name": "DIAN"},
            )
            return third_party.pk
        if key == "cost_center_id":
            return CostCenter.objects.get_or_create(code="URL", defaults={"name": "Pruebas"})[0].pk
        if key == "voucher_type_id":
            return VoucherType.objects.get(code="CC").pk
        if key == "export_id":
            export, _created = ReportExport.objects.get_or_create(
                kind="trial_balance",
                fmt="csv",
                defaults={"params": {}, "status": "done", "content": b"a;b\r\n"},
            )
            return export.pk
        if key == "import_id":
            return JournalImport.objects.get_or_create(file_name="prueba.csv")[0].pk
        entry = Entry.objects.filter(status="draft").first() or entry_save_draft(
            voucher_type=VoucherType.objects.get(code="CC"),
            day=date(2026, 3, 1),
            description="Para las pruebas de acceso",
            lines=[LineInput(account="110505", debit=1)],
            user=None,
        )
        return entry.pk
