from celery import shared_task

from .models import ImportJob
from .services import import_fail, import_jobs_resume, import_process


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def import_job_task(self, job_id: int) -> None:
    """Acks late: a task whose worker died is delivered again and picks up the rows not done yet."""
    try:
        import_process(job_id=job_id)
    except ImportJob.DoesNotExist:
        return
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            import_fail(job_id=job_id, error=str(exc))
            raise
        ImportJob.objects.filter(pk=job_id).update(error=str(exc)[:2000])
        raise self.retry(exc=exc) from exc


@shared_task
def import_jobs_resume_task() -> int:
    """Beat: jobs whose queueing was lost or whose worker died are queued again (see import_resume)."""
    return import_jobs_resume()
