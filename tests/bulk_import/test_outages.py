"""An import confirmed while Redis is down is never stuck (a real redis-server of the test's own, killed)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile

from bulk_import.models import ImportJob
from bulk_import.services import import_jobs_resume
from firms.models import Company
from tests.factories import valid_nits
from tests.outages import broker_at, wait_for

from .files import csv_bytes

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]
UPLOAD = "/contador/clientes/importar/"


def test_confirming_while_redis_is_down_waits_then_resumes_and_finishes(
    accountant_client, redis_server, settings
):
    browser = accountant_client
    nits = valid_nits(905_000_000, 3)
    upload = SimpleUploadedFile("tres.csv", csv_bytes([[f"Empresa {n}", n, "", ""] for n in nits]))
    job_url = browser.post(UPLOAD, {"file": upload}).url
    with broker_at(redis_server.url) as app:
        redis_server.kill()
        confirmed = browser.post(f"{job_url}confirmar/")
        assert confirmed.status_code == 302  # not a server error
        job = ImportJob.objects.get()
        assert job.status == "queued"
        assert "Esperando para empezar" in browser.get(job_url).content.decode()

        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
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
    assert (job.status, job.processed_rows, job.created_count, job.resumed_count) == ("done", 3, 3, 1)
    assert list(job.rows.values_list("outcome", flat=True)) == ["created"] * 3
    assert Company.objects.filter(tax_id__in=[n[:9] for n in nits]).count() == 3
