"""A worker process killed in the middle of an import: the task comes back and creates exactly N companies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bulk_import.models import ImportJob
from bulk_import.services import import_confirm, import_preview
from firms.models import Company
from tests.factories import WorkspaceMemberFactory, valid_nit
from tests.schemas import subprocess_database_url

from .files import csv_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 1000


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _worker_env() -> dict:
    url = subprocess_database_url()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accountant_portal.settings.test",
        "DATABASE_URL": url,
        "TEST_REDIS_URL": settings.REDIS_URL,
    }


def _wait(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_import_redelivered_after_its_worker_process_died_creates_exactly_n_companies(tmp_path):
    accountant = WorkspaceMemberFactory().user
    workspace = accountant.workspace_memberships.get().workspace
    nits = [f"{n}-{valid_nit(n)[1]}" for n in range(904_000_000, 904_000_000 + ROWS)]
    job = import_preview(
        workspace=workspace,
        user=accountant,
        file_name="mil.csv",
        data=csv_bytes([[f"Empresa {i} S.A.S.", nit, "", ""] for i, nit in enumerate(nits)]),
    )
    import_confirm(job=job)  # queued in Redis on commit

    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "accountant_portal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=_worker_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait(lambda: ImportJob.objects.get(pk=job.pk).processed_rows > 0, 60), (
            "the worker never started"
        )
        child = _children(worker.pid)
        assert len(child) == 1
        os.kill(child[0], signal.SIGKILL)  # the process running the task dies mid-job
        at_kill = ImportJob.objects.get(pk=job.pk).processed_rows
        assert 0 < at_kill < ROWS, "killed too late to test a redelivery"
        assert _wait(lambda: ImportJob.objects.get(pk=job.pk).status == "done", 120), (
            "the task did not come back"
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert "signal 9" in worker_log or "WorkerLostError" in worker_log, worker_log[-2000:]
    job.refresh_from_db()
    assert Company.objects.filter(tax_id__in=[nit[:9] for nit in nits]).count() == ROWS
    assert job.created_count == ROWS and job.processed_rows == ROWS
    assert set(job.rows.values_list("outcome", flat=True)) == {"created"}
