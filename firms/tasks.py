from celery import shared_task

from core.emails import EMAIL_TASK_RETRY

from .models import Company, Notice
from .services import CompanyProvisioningError, company_provision, notice_deliver


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


@shared_task(**EMAIL_TASK_RETRY)
def notice_email_task(notice_id: int) -> bool:
    """E-mail a notice (a client answered a request or ended an access) to its accountant."""
    try:
        return notice_deliver(notice_id=notice_id)
    except Notice.DoesNotExist:
        return False
