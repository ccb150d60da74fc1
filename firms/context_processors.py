from django.conf import settings


def workspace(request):
    """The workspace and company of the request, for the top bar, menu and plan banner."""
    current = getattr(request, "workspace", None)

    def has_colombian_companies():  # evaluated only by the templates that ask (the menu)
        from .models import CompanyAccess

        return (
            current is not None
            and CompanyAccess.objects.filter(
                workspace=current, status=CompanyAccess.Status.ACTIVE, company__country="CO"
            ).exists()
        )

    return {
        "has_colombian_companies": has_colombian_companies,
        "current_workspace": getattr(request, "workspace", None),
        "current_company": getattr(request, "company", None),
        "support_email": settings.SUPPORT_EMAIL,
    }
