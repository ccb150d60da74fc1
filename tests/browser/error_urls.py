"""The project's URLs plus three that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def _broken(request):
    raise RuntimeError("a bug, on purpose")


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad input, on purpose")


urlpatterns = [
    path("prueba/500/", _broken),
    path("prueba/403/", _forbidden),
    path("prueba/400/", _bad),
    path("", include("accountant_portal.urls")),
]
