from celery import shared_task

from .models import Company
from .services import CompanyProvisioningError, company_provision


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def company_provision_task(self, company_id: int) -> None:
    try:
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
    for company_id in ids:
        company_provision_task.delay(company_id)
    return len(ids)
