"""Query counts of list pages: the same for a small and a large data set (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url, params=None) -> int:
    """Queries of one GET of `url`, after a first visit (which may write the session)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)
