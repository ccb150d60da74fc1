from celery import shared_task

from core.emails import EMAIL_TASK_RETRY

from .services.answer import invitations_expire
from .services.deliver import invitation_deliver, invitations_remind, invitations_requeue


@shared_task(**EMAIL_TASK_RETRY)
def invitation_send_task(invitation_id: int, purpose: str = "invite") -> bool:
    return invitation_deliver(invitation_id=invitation_id, purpose=purpose)


@shared_task
def invitations_daily_task() -> dict:
    """Beat, once a day: expire the invitations whose links ran out, then send the 3-day reminders."""
    return {"expired": invitations_expire(), "reminded": invitations_remind()}


@shared_task
def invitations_requeue_task() -> int:
    """Beat: invitations left pending sending while the broker was down are queued again."""
    return invitations_requeue()
