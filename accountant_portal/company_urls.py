"""The company area, /c/<slug>/...: firms.middleware.CompanyAreaMiddleware sets the tenant, checks access."""

from django.urls import include, path

from firms import views as firm_views
from indicators import views as indicator_views
from invitations import views as invitation_views

company_patterns = (
    [
        path("", firm_views.company_home, name="home"),
        path("datos/", firm_views.company_profile, name="profile"),
        path("contadores/", invitation_views.company_accountants, name="accountants"),
        path("actividad/", firm_views.company_activity, name="activity"),
        path("invitar-cliente/", invitation_views.company_client_invite_view, name="client_invite"),
        path("calendario/", indicator_views.company_calendar, name="calendar"),
        path("calendario/presentada/", indicator_views.company_filing, name="filing"),
        path(
            "contadores/<int:access_id>/revocar/",
            invitation_views.company_accountant_revoke,
            name="accountant_revoke",
        ),
        path(
            "contadores/<int:access_id>/aceptar/",
            invitation_views.company_request_accept,
            name="request_accept",
        ),
        path(
            "contadores/<int:access_id>/rechazar/",
            invitation_views.company_request_decline,
            name="request_decline",
        ),
    ],
    "company",
)

urlpatterns = [
    path("", include(company_patterns)),
    path("", include("books.urls")),
]
