"""An import confirmed while Redis is down, or whose worker died with its machine: never stuck.

Real faults: a redis-server of the test's own, killed; real Celery workers, killed with SIGKILL.
"""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bulk_import.models import ImportJob
from bulk_import.services import import_confirm, import_jobs_resume, import_preview
from firms.models import Company
from tests.factories import WorkspaceMemberFactory, valid_nit
from tests.outages import broker_at, kill_worker, start_worker_process, stop_worker, wait_for

from .files import csv_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]
UPLOAD = "/contador/clientes/importar/"


def _nits(start, count):
    return [f"{n}-{valid_nit(n)[1]}" for n in range(start, start + count)]


def test_confirming_while_redis_is_down_waits_then_resumes_and_finishes(redis_server, settings):
    accountant = WorkspaceMemberFactory().user
    browser = Client()
    browser.force_login(accountant)
    nits = _nits(905_000_000, 3)
    upload = SimpleUploadedFile("tres.csv", csv_bytes([[f"Empresa {n}", n, "", ""] for n in nits]))
    job_url = browser.post(UPLOAD, {"file": upload}).url
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        confirmed = browser.post(f"{job_url}confirmar/")
        assert confirmed.status_code == 302  # not a server error
        job = ImportJob.objects.get()
        assert job.status == "queued"
        assert "Esperando para empezar" in browser.get(job_url).content.decode()

        settings.IMPORT_STALLED_AFTER = timedelta(seconds=1)
        time.sleep(1.2)
        page = browser.get(job_url).content.decode()
        assert "La carga todavía no empezó" in page and "Reanudar ahora" in page
        progress = browser.get(f"{job_url}progreso/", headers={"HX-Request": "true"}).content.decode()
        assert "La carga todavía no empezó" in progress
        still_down = browser.post(f"{job_url}reanudar/", follow=True).content.decode()
        assert "no responde en este momento" in still_down

        redis_server.start()
        assert import_jobs_resume() == 1  # what the beat job does every minute
        assert redis_server.queued_task_args() == [("bulk_import.tasks.import_job_task", [job.pk])]
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "done", 60)
    job.refresh_from_db()
    assert job.created_count == 3 and job.resumed_count == 1
    assert Company.objects.filter(tax_id__in=[n[:9] for n in nits]).count() == 3


def test_a_job_whose_worker_machine_died_resumes_within_minutes(tmp_path, settings):
    """The worker's main process and its child are killed (SIGKILL): nobody gives the task back, and
    Redis would redeliver it only after the visibility timeout (an hour). The heartbeat tells."""
    accountant = WorkspaceMemberFactory().user
    workspace = accountant.workspace_memberships.get().workspace
    nits = _nits(906_000_000, 1000)
    job = import_preview(
        workspace=workspace,
        user=accountant,
        file_name="mil.csv",
        data=csv_bytes([[f"Empresa {i} S.A.S.", nit, "", ""] for i, nit in enumerate(nits)]),
    )
    import_confirm(job=job)
    log = tmp_path / "worker.log"
    worker = start_worker_process(log)
    try:
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows > 0, 60), log.read_text()
        kill_worker(worker)
    finally:
        stop_worker(worker)
    at_kill = ImportJob.objects.get(pk=job.pk)
    assert at_kill.status == "running" and 0 < at_kill.processed_rows < 1000, "killed too late"

    browser = Client()
    browser.force_login(accountant)
    job_url = f"{UPLOAD}{job.pk}/"
    settings.IMPORT_STALLED_AFTER = timedelta(seconds=2)  # minutes in production
    assert "se detuvo" not in browser.get(job_url).content.decode()  # a heartbeat ago: still fine
    time.sleep(2.2)
    page = browser.get(job_url).content.decode()
    assert f"La carga se detuvo en la fila {at_kill.processed_rows} de 1000" in page
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
    assert job.created_count == 1000 and job.processed_rows == 1000 and job.resumed_count == 1
    assert Company.objects.filter(tax_id__in=[nit[:9] for nit in nits]).count() == 1000
    assert set(job.rows.values_list("outcome", flat=True)) == {"created"}
