import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from firms.models import Company
from tests.factories import valid_nit
from tests.schemas import subprocess_database_url

from .files import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
NIT = f"902000000-{valid_nit(902000000)[1]}"


def _run(*args):
    out = StringIO()
    call_command("import_companies", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "clientes.xlsx"
    path.write_bytes(xlsx_bytes([["Nueva S.A.S.", NIT, "", ""], ["Sin nombre", "900.123.456-7", "", ""]]))
    return path


def test_dry_run_prints_each_row_and_the_summary_and_creates_nothing(accountant, good_file):
    output = _run("--workspace", accountant.email, "--dry-run", str(good_file))
    lines = output.strip().splitlines()
    assert lines[0].startswith("row 2\tadd\tNueva S.A.S.")
    assert lines[1].startswith("row 3\terror\t")
    assert lines[-1] == "created=1 linked=0 skipped=0 errors=1"
    assert not Company.objects.filter(tax_id="902000000").exists()


def test_import_creates_the_companies(accountant, good_file):
    output = _run("--workspace", accountant.email, str(good_file))
    assert output.strip().splitlines()[-1] == "created=1 linked=0 skipped=0 errors=1"
    assert Company.objects.filter(tax_id="902000000", accesses__workspace__members__user=accountant).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vacio.csv", b"", "está vacío"),
        ("malo.xlsx", b"not a zip", "Excel"),
        ("basura.xlsx", b"PK\x03\x04" + bytes(range(256)) * 10, "Excel"),
        ("notas.csv", csv_bytes([["a", "b"]], headers=["Notas", "Otra"]), "faltan columnas"),
    ],
)
def test_file_level_errors_exit_2_with_the_message(accountant, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        _run("--workspace", accountant.email, str(path))
    assert error.value.returncode == 2 and message.lower() in str(error.value).lower()


def test_unknown_workspace_or_missing_file_exit_2(accountant, good_file):
    for args in (
        ["--workspace", "nadie@example.com", str(good_file)],
        ["--workspace", accountant.email, "/no/existe.csv"],
    ):
        with pytest.raises(CommandError) as error:
            _run(*args)
        assert error.value.returncode == 2


def test_no_traceback_for_any_input_from_the_shell(tmp_path):
    path = tmp_path / "basura.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_companies", "--workspace", "nadie@example.com", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test",
            "DATABASE_URL": subprocess_database_url(),
        },
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.strip()
