"""Company provisioning runs as a real Celery task on a worker fed by Redis."""

import pytest
from celery.contrib.testing.worker import start_worker

from accountant_portal.celery import app
from firms.services.provisioning import company_provision_later
from tests.factories import CompanyFactory
from tests.schemas import drop_schema


def test_reliability_settings_from_the_design():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_url.startswith("redis://")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_queue")
def test_worker_provisions_a_company_queued_on_commit():
    company = CompanyFactory(name="Por Celery S.A.S.")
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=30):
            company_provision_later(company_ids=[company.pk])
            for _ in range(200):
                company.refresh_from_db()
                if company.provisioning_status == "ready":
                    break
                import time

                time.sleep(0.1)
        assert company.provisioning_status == "ready"
    finally:
        drop_schema(company.schema_name)
