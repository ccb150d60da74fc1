from celery import shared_task

from .emails import EMAIL_TASK_RETRY
from .services import outgoing_email_send, outgoing_emails_requeue


@shared_task(bind=True, **EMAIL_TASK_RETRY)
def outgoing_email_send_task(self, email_id: int) -> bool:
    return outgoing_email_send(email_id=email_id, last_attempt=self.request.retries >= self.max_retries)


@shared_task
def outgoing_emails_requeue_task() -> int:
    """Beat: e-mails whose queueing was lost while the broker was down are queued again."""
    return outgoing_emails_requeue()
