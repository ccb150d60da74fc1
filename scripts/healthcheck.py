"""Container health probe: `python scripts/healthcheck.py /salud/listo/` exits 0 when the app answers 200.

It asks gunicorn on loopback (PORT, 8000 by default) with a Host that ALLOWED_HOSTS names, since Django
refuses any other (a deployment's ALLOWED_HOSTS names its public host only). Standard library only.
"""

import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")  # ".example.com" allows example.com itself
        if name and name != "*":
            return name
    return "127.0.0.1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to https, to the login) is not health: it is reported, never followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def main(path: str) -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": probe_host()})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/salud/"))
