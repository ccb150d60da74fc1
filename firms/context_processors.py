from django.conf import settings


def workspace(request):
    """The workspace and company of the request, for the top bar, menu and plan banner."""
    return {
        "current_workspace": getattr(request, "workspace", None),
        "current_company": getattr(request, "company", None),
        "support_email": settings.SUPPORT_EMAIL,
    }
