"""Workers killed mid-import (real Celery workers, SIGKILL): exactly N companies, within minutes."""

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from bulk_import.models import ImportJob
from bulk_import.services import import_confirm, import_jobs_resume, import_preview
from firms.models import Company
from tests.factories import WorkspaceMemberFactory, valid_nits
from tests.outages import kill_worker, start_worker_process, stop_worker, wait_for

from .files import csv_bytes

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]
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


def _confirmed_import(first_nit: int):
    """An accountant's import of ROWS new companies, confirmed: queued in Redis on commit."""
    accountant = WorkspaceMemberFactory().user
    nits = valid_nits(first_nit, ROWS)
    job = import_preview(
        workspace=accountant.workspace_memberships.get().workspace,
        user=accountant,
        file_name="mil.csv",
        data=csv_bytes([[f"Empresa {i} S.A.S.", nit, "", ""] for i, nit in enumerate(nits)]),
    )
    return import_confirm(job=job), nits


def test_import_redelivered_after_its_worker_process_died_creates_exactly_n_companies(tmp_path):
    job, nits = _confirmed_import(904_000_000)

    log_path = tmp_path / "worker.log"
    worker = start_worker_process(log_path)
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows > 0, 60), (
            "the worker never started"
        )
        child = _children(worker.pid)
        assert len(child) == 1
        os.kill(child[0], signal.SIGKILL)  # the process running the task dies mid-job
        at_kill = ImportJob.objects.get(pk=job.pk).processed_rows
        assert 0 < at_kill < ROWS, "killed too late to test a redelivery"
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "done", 120), (
            "the task did not come back"
        )
    finally:
        stop_worker(worker)
    worker_log = log_path.read_text()
    assert "signal 9" in worker_log or "WorkerLostError" in worker_log, worker_log[-2000:]
    job.refresh_from_db()
    assert Company.objects.filter(tax_id__in=[nit[:9] for nit in nits]).count() == ROWS
    assert job.created_count == ROWS and job.processed_rows == ROWS
    assert set(job.rows.values_list("outcome", flat=True)) == {"created"}


def test_a_job_whose_worker_machine_died_resumes_within_minutes(tmp_path, settings):
    """The worker's main process and its child are killed (SIGKILL): nobody gives the task back, and
    Redis would redeliver it only after the visibility timeout (an hour). The heartbeat tells."""
    job, nits = _confirmed_import(906_000_000)
    log = tmp_path / "worker.log"
    worker = start_worker_process(log)
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows > 0, 60), log.read_text()
        kill_worker(worker)
    finally:
        stop_worker(worker)
    at_kill = ImportJob.objects.get(pk=job.pk)
    assert at_kill.status == "running" and 0 < at_kill.processed_rows < ROWS, "killed too late"

    browser = Client()
    browser.force_login(job.created_by)
    job_url = f"/contador/clientes/importar/{job.pk}/"
    settings.WORK_STALLED_AFTER = timedelta(seconds=2)  # minutes in production
    assert "se detuvo" not in browser.get(job_url).content.decode()  # a heartbeat ago: still fine
    time.sleep(2.2)
    page = browser.get(job_url).content.decode()
    assert f"La carga se detuvo en la fila {at_kill.processed_rows} de {ROWS}" in page
    assert "Se reanudará sola en pocos minutos" in page and "Reanudar ahora" in page

    assert import_jobs_resume() == 1  # the beat job
    assert import_jobs_resume() == 0  # just queued: not again until it stalls anew
    second = start_worker_process(log)
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "done", 120), log.read_text()[
            -3000:
        ]
    finally:
        stop_worker(second)
    job.refresh_from_db()
    assert job.created_count == ROWS and job.processed_rows == ROWS and job.resumed_count == 1
    assert Company.objects.filter(tax_id__in=[nit[:9] for nit in nits]).count() == ROWS
    assert set(job.rows.values_list("outcome", flat=True)) == {"created"}
