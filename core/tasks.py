from celery import shared_task

from .emails import EMAIL_TASK_RETRY
from .services import outgoing_email_send
from .work import stalled_work_requeue


@shared_task(bind=True, **EMAIL_TASK_RETRY)
def outgoing_email_send_task(self, email_id: int) -> bool:
    return outgoing_email_send(email_id=email_id, last_attempt=self.request.retries >= self.max_retries)


@shared_task
def stalled_work_requeue_task() -> int:
    """Beat, every minute: work whose queueing was lost while the broker was down, or whose worker died, is
    queued again (what each app registers with core.work.stalled_work_register)."""
    return stalled_work_requeue()
