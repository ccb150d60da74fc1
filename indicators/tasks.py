from celery import shared_task

from core.emails import EMAIL_TASK_RETRY
from core.queue import enqueue_each

from .selectors import tax_reminder_recipients
from .services import tax_reminder_send


@shared_task
def tax_reminders_task() -> int:
    """Beat, once a day: one task per accountant who wants reminders."""
    recipients = tax_reminder_recipients()
    return enqueue_each(tax_reminder_user_task, recipients)


@shared_task(**EMAIL_TASK_RETRY)
def tax_reminder_user_task(user_id: int) -> int:
    return tax_reminder_send(user_id=user_id)
