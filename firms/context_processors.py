from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .access import (
    request_can_manage_plan,
    request_can_manage_team,
    request_can_post,
    request_is_company_admin,
    request_read_only,
)


def workspace(request):
    """The workspace and company of the request, for the top bar, menu and plan banner.

    `plan_read_only`: plan consulta leaves this page read-only (firms.access.request_read_only, the rule of
    the plan guard). Templates hide or disable their write controls with it and show
    "firms/partials/read_only_note.html" once.
    """
    current = getattr(request, "workspace", None)

    def has_colombian_companies():  # evaluated only by the templates that ask (the menu)
        from .models import CompanyAccess, Country

        return current is not None and (
            current.country == Country.CO
            or CompanyAccess.objects.filter(
                workspace=current, status=CompanyAccess.Status.ACTIVE, company__country="CO"
            ).exists()
        )

    return {
        "has_colombian_companies": has_colombian_companies,
        "current_workspace": current,
        "current_company": getattr(request, "company", None),
        "plan_read_only": request_read_only(request),
        # Auxiliares draft but never post: templates hide the post, annul, reverse, lock and close controls.
        "can_post": request_can_post(request),
        # The company's own owners and administrators: the menu links to their pages (company_view's only).
        "is_company_admin": request_is_company_admin(request),
        "can_manage_team": request_can_manage_team(request),
        "can_manage_plan": request_can_manage_plan(request),
        "support_email": settings.SUPPORT_EMAIL,
    }


def notices(request):
    """How many notices the user has not read yet, in the workspace (the top bar's "Avisos")."""
    current = getattr(request, "workspace", None)
    user = getattr(request, "user", None)

    def unread():
        from .models import Notice

        return Notice.objects.filter(user=user, workspace=current, read_at__isnull=True).count()

    if current is None or user is None or not user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": SimpleLazyObject(unread)}
