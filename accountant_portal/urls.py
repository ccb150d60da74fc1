from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from firms.access import plan_guard_namespaces
from indicators.urls import resource_patterns, tax_patterns
from indicators.views import calendar_feed

from . import health
from .client_urls import client_patterns
from .team_urls import team_patterns

health_patterns = (
    [path("", health.alive, name="alive"), path("listo/", health.ready, name="ready")],
    "health",
)

# Clientes, Equipo and the company area's own pages are the workspace's and its companies' data: plan
# consulta refuses their writes (firms.access; the apps add the namespaces they name themselves).
plan_guard_namespaces("clients", "team", "company")

# The admin logs in through allauth, so its login is rate-limited like every other.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Portal Contador"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="firms:workspace_home", permanent=False), name="home"),
    path("salud/", include(health_patterns)),
    path("admin/", admin.site.urls),
    path("cuentas/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("firms.urls")),
    path("contador/clientes/", include(client_patterns)),
    path("contador/equipo/", include(team_patterns)),
    path("invitaciones/", include("invitations.urls")),
    path("contador/", include(resource_patterns)),
    path("contador/calendario/", include(tax_patterns)),
    path("calendario/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("c/<slug:company_slug>/", include("accountant_portal.company_urls")),
]
