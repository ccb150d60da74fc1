"""Spanish is the default language and its catalogue covers every user-facing string."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

from .test_layers import LAYER_OF

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCES = [*LAYER_OF, "templates"]


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(PO_FILE))
    assert not [e.msgid for e in catalogue.untranslated_entries()]
    assert not [e.msgid for e in catalogue.fuzzy_entries() if e.msgid]


def test_spanish_catalogue_holds_every_string_of_the_code(tmp_path):
    """Extract the messages from a copy of the code: each one must be in the committed catalogue."""
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po")
            )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(tmp_path / "locale/es/LC_MESSAGES/django.po"))
        if e.msgid
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_FILE)) if e.msgid}
    assert sorted(m for _ctx, m in extracted - committed) == []


def test_compiled_catalogue_is_up_to_date():
    mo_file = PO_FILE.with_suffix(".mo")
    # Keyed by context too: "May" (a month) and ("abbrev. month", "May") are two entries.
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_file))}
    source = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO_FILE)) if e.msgid and not e.msgid_plural
    }
    assert {k: compiled.get(k) for k in source} == source


def test_english_mode_shows_no_spanish_of_the_catalogue(accountant_client, linked_company, workspace):
    """English mode: English words and dates only. Data keeps its language: clients' names, and the
    official Colombian names of RUT responsibilities and CIIU sectors."""
    from tests.factories import LinkRequestFactory

    LinkRequestFactory(workspace=workspace, name="Cliente Nuevo")
    spanish = {
        entry.msgstr
        for entry in polib.pofile(str(PO_FILE))
        if entry.msgstr != entry.msgid and len(entry.msgstr.split()) >= 3 and "%" not in entry.msgstr
    }
    accountant_client.cookies["django_language"] = "en"
    base = linked_company.get_absolute_url()
    for url in (
        "/contador/",
        "/contador/clientes/anadir/",
        "/contador/clientes/nueva-empresa/",
        "/contador/avisos/",
        "/contador/plan/",
        "/contador/calendario/",
        base,
        f"{base}datos/",
        f"{base}calendario/",
    ):
        body = accountant_client.get(url).content.decode()
        assert [text for text in spanish if text in body] == [], url
        assert not re.search(r"\d de [A-Za-z]", body), url  # "17 de March": a Spanish date format
