"""The one place that builds absolute links (e-mails, calendar feeds): SITE_URL plus a path."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL + `path` ("/invitaciones/abc/" -> "http://localhost:8111/invitaciones/abc/")."""
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path


def rebase_url(url: str) -> str:
    """A link built from a request's host, moved onto SITE_URL (keeps its path, query and fragment)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return absolute_url(path)
