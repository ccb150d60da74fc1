from celery import shared_task

from core.database import owner_connection
from core.queue import enqueue_each

from .models import Company
from .services.provisioning import CompanyProvisioningError, company_provision


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def company_provision_task(self, company_id: int) -> None:
    try:
        with owner_connection():  # schemas are created and owned by the owner role
            company_provision(company_id=company_id)
    except Company.DoesNotExist:
        return
    except CompanyProvisioningError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def provision_pending_companies_task(limit: int = 500) -> int:
    """Beat: queue provisioning, oldest first, for companies not ready: pending (e.g. after a bulk seed),
    failed (retried), or left provisioning by a worker that died (provisioning is idempotent)."""
    ids = list(
        Company.objects.exclude(provisioning_status=Company.Provisioning.READY)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return enqueue_each(company_provision_task, ids)


@shared_task(acks_late=True)
def company_snapshot_refresh_task(company_id: int) -> int:
    """The board's row of one company, after a change to its books or its tax calendar."""
    from .services.snapshots import company_snapshots_refresh

    return company_snapshots_refresh(company_ids=[company_id])


@shared_task(acks_late=True)
def company_snapshots_refresh_batch_task(company_ids: list[int]) -> int:
    from .services.snapshots import company_snapshots_refresh

    return company_snapshots_refresh(company_ids=company_ids)


@shared_task
def company_snapshots_refresh_all_task() -> int:
    """Beat, every night: every company's board row, in batches (the time-based alerts move by the day)."""
    from django.conf import settings

    from .services.snapshots import snapshot_refresh_batches

    batches = snapshot_refresh_batches(settings.SNAPSHOT_REFRESH_BATCH)
    return enqueue_each(company_snapshots_refresh_batch_task, batches)
