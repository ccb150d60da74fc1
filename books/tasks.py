from celery import shared_task
from django_tenants.utils import schema_context

from firms.models import Company

from .services.balances import balances_check


@shared_task
def balances_check_all_task() -> int:
    """Beat, every night: one check per company whose books exist."""
    ids = list(
        Company.objects.filter(provisioning_status=Company.Provisioning.READY).values_list("pk", flat=True)
    )
    for company_id in ids:
        balances_check_company_task.delay(company_id)
    return len(ids)


@shared_task
def balances_check_company_task(company_id: int) -> int:
    """The company's balances against its posted lines; returns the number of differences (never expected)."""
    company = Company.objects.filter(pk=company_id, provisioning_status=Company.Provisioning.READY).first()
    if company is None:
        return 0
    with schema_context(company.schema_name):
        return len(balances_check().differences)
