"""The company area, /c/<slug>/...: firms.middleware.CompanyAreaMiddleware sets the tenant, checks access."""

from django.urls import include, path

from . import views

company_patterns = (
    [path("", views.company_home, name="home")],
    "company",
)

urlpatterns = [
    path("", include(company_patterns)),
    path("cuentas/", include("books.urls")),
]
