from celery import shared_task

from core.queue import enqueue_each
from core.work import company_task, retry_or_fail
from firms.models import Company

from .services.balances import balances_check


@shared_task
def balances_check_all_task() -> int:
    """Beat, every night: one check per company whose books exist."""
    ids = list(
        Company.objects.filter(provisioning_status=Company.Provisioning.READY).values_list("pk", flat=True)
    )
    return enqueue_each(balances_check_company_task, ids)


@company_task(owner=True)  # the repair rewrites the kept balances: as the owner role
def balances_check_company_task(company) -> int:
    """The company's balances against its posted lines; returns the number of differences (never expected)."""
    if not company.is_ready:
        return 0
    return len(balances_check().differences)


@company_task(bind=True, max_retries=5, default_retry_delay=10)
def journal_import_task(self, company, job_id: int) -> None:
    """Acks late: a task whose worker died is delivered again and picks up the comprobantes not done yet."""
    from accounts.models import User

    from .models import JournalImport
    from .services.journal import journal_fail, journal_process

    job = JournalImport.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        journal_process(job_id=job_id, user=User.objects.filter(pk=job.created_by_id).first())
    except Exception as exc:
        retry_or_fail(
            self,
            exc,
            fail=lambda error: journal_fail(job_id=job_id, error=error),
            note=lambda error: JournalImport.objects.filter(pk=job_id).update(error=error[:2000]),
        )


@company_task(bind=True, max_retries=3, default_retry_delay=10)
def report_export_task(self, company, export_id: int) -> None:
    from .models import ReportExport
    from .reports.jobs import report_export_write

    try:
        report_export_write(export_id=export_id, company=company)
    except ReportExport.DoesNotExist:
        return
    except Exception as exc:
        failed = ReportExport.objects.filter(pk=export_id)
        retry_or_fail(
            self, exc, fail=lambda error: failed.update(status=ReportExport.Status.FAILED, error=error[:2000])
        )
