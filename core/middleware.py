"""Middleware every page goes through: unusable input, outages, the Content-Security-Policy."""

import logging

from django.conf import settings
from django.shortcuts import render
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

SERVICE_DOWN = (RedisConnectionError, RedisTimeoutError, OperationalError)


class UnusableInputMiddleware:
    """Answers 400 to a request whose address, query or form fields hold a NUL character.

    No page can use one, and PostgreSQL refuses to compare text that holds it: without this check a
    `?q=%00` would reach a query and end in a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.append(request.POST)  # parsed once here, as the CSRF check would; files are not looked at
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in fields
        for key, values in query.lists()
    )


class ServiceUnavailableMiddleware:
    """A clear 503 page, not a server error, when Redis or the broker fail where nothing could soften it.

    The cache falls back to memory and queueing keeps the work in the database (core.cache, core.queue):
    this is the last net for anything else that meets the outage.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SERVICE_DOWN):
            return None
        logger.warning("Service unavailable for %s: %s", request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "60"
        return response


class ContentSecurityPolicyMiddleware:
    """Every page may load only the app's own scripts, styles, images and fonts, and runs no inline
    code: a script injected into a page would not run (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
