"""Pages carry a Content-Security-Policy, and no template of the app has inline code that it would block."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Inline code the policy refuses: a <script> without src (unless it only holds data), style="",
# a <style> element, an on*="" handler, a javascript: address.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\sstyle=|<style\b|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def _page_templates():
    # E-mails are not pages: mail clients need their inline styles.
    return [
        path for path in (ROOT / "templates").rglob("*.html") if not {"emails", "email"} & set(path.parts)
    ]


@pytest.mark.parametrize("template", _page_templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_scripts_styles_or_handlers(template):
    assert INLINE.findall(template.read_text()) == []


def test_the_check_finds_inline_code():
    for snippet in ["<script>alert(1)</script>", '<p style="x">', '<a onclick="x">', "<style>p{}</style>"]:
        assert INLINE.search(snippet), snippet
    assert not INLINE.search('<script src="/static/js/app.js" defer></script>')


@pytest.mark.parametrize("url", ["/cuentas/login/", "/contador/", "/no-existe/", "/admin/login/"])
def test_every_response_carries_the_policy(client, accountant, url):
    client.force_login(accountant)
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
