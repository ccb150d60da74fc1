from celery import shared_task

from core.work import retry_or_fail

from .models import ImportJob
from .services import import_fail, import_process


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def import_job_task(self, job_id: int) -> None:
    """Acks late: a task whose worker died is delivered again and picks up the rows not done yet."""
    try:
        import_process(job_id=job_id)
    except ImportJob.DoesNotExist:
        return
    except Exception as exc:
        retry_or_fail(
            self,
            exc,
            fail=lambda error: import_fail(job_id=job_id, error=error),
            note=lambda error: ImportJob.objects.filter(pk=job_id).update(error=error[:2000]),
        )
