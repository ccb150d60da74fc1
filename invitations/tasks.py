from celery import shared_task

from core.emails import EMAIL_TASK_RETRY

from .services.answer import invitations_expire
from .services.deliver import invitation_deliver, invitations_remind, renewal_request_deliver


@shared_task(**EMAIL_TASK_RETRY)
def invitation_send_task(invitation_id: int, purpose: str = "invite") -> bool:
    return invitation_deliver(invitation_id=invitation_id, purpose=purpose)


@shared_task(**EMAIL_TASK_RETRY)
def renewal_request_send_task(invitation_id: int) -> None:
    renewal_request_deliver(invitation_id=invitation_id)


@shared_task
def invitations_daily_task() -> dict:
    """Beat, once a day: expire the invitations whose links ran out, then send the 3-day reminders."""
    return {"expired": invitations_expire(), "reminded": invitations_remind()}
