"""The workspace and company-area URLs, read from the URLconf so that a new view is covered automatically."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

WORKSPACE_NAMESPACES = {"firms", "clients", "resources", "tax"}
COMPANY_NAMESPACES = {"company", "books"}
OBJECT_KWARGS = {"access_id", "job_id"}


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
    urls = [
        u
        for u in _walk(get_resolver().url_patterns)
        if u.name.split(":")[0] in WORKSPACE_NAMESPACES | COMPANY_NAMESPACES
    ]
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


def _resource():
    """An indicator for every country version (made for the URL tests)."""
    from indicators.models import Resource

    return Resource.objects.filter(countries=[]).first() or Resource.objects.create(
        kind="news", title="Prueba", summary="Para las pruebas de acceso"
    )
