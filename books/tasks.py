from celery import shared_task
from django_tenants.utils import schema_context

from core.database import owner_connection
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
    with owner_connection(), schema_context(company.schema_name):  # the repair rewrites the kept balances
        return len(balances_check().differences)


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def journal_import_task(self, company_id: int, job_id: int) -> None:
    """Acks late: a task whose worker died is delivered again and picks up the comprobantes not done yet."""
    from accounts.models import User

    from .journal import journal_fail, journal_process
    from .models import JournalImport

    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return
    with schema_context(company.schema_name):
        job = JournalImport.objects.filter(pk=job_id).first()
        if job is None:
            return
        try:
            journal_process(job_id=job_id, user=User.objects.filter(pk=job.created_by_id).first())
        except Exception as exc:
            if self.request.retries >= self.max_retries:
                journal_fail(job_id=job_id, error=str(exc))
                raise
            JournalImport.objects.filter(pk=job_id).update(error=str(exc)[:2000])
            raise self.retry(exc=exc) from exc


@shared_task
def journal_imports_resume_task() -> int:
    """Beat: comprobante imports whose queueing was lost or whose worker died are queued again. One small
    query per company; the page of a job being watched resumes it too (journal_job)."""
    from .journal import journal_imports_resume

    resumed = 0
    for company_id, schema_name in Company.objects.filter(
        provisioning_status=Company.Provisioning.READY
    ).values_list("pk", "schema_name"):
        with schema_context(schema_name):
            resumed += journal_imports_resume(company_id=company_id)
    return resumed


@shared_task(bind=True, max_retries=3, default_retry_delay=10)
def report_export_task(self, company_id: int, export_id: int) -> None:
    from .models import ReportExport
    from .reports.jobs import report_export_write

    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return
    with schema_context(company.schema_name):
        try:
            report_export_write(export_id=export_id, company=company)
        except ReportExport.DoesNotExist:
            return
        except Exception as exc:
            if self.request.retries >= self.max_retries:
                ReportExport.objects.filter(pk=export_id).update(
                    status=ReportExport.Status.FAILED, error=str(exc)[:2000]
                )
                raise
            raise self.retry(exc=exc) from exc
