from celery import shared_task

from core.emails import EMAIL_TASK_RETRY

from .services.answer import invitations_expire
from .services.create import link_request_dispatch
from .services.deliver import invitation_deliver, invitations_remind


@shared_task(bind=True, **EMAIL_TASK_RETRY)
def invitation_send_task(self, invitation_id: int, purpose: str = "invite") -> bool:
    """Pending sending while the mail server refuses and retries remain; failed after the last one."""
    return invitation_deliver(
        invitation_id=invitation_id, purpose=purpose, last_attempt=self.request.retries >= self.max_retries
    )


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def link_request_dispatch_task(self, access_id: int, resend: bool = False) -> int:
    """A link request, after the accountant's page answered: find the company, invite its admins."""
    return link_request_dispatch(access_id=access_id, resend=resend)


@shared_task
def invitations_daily_task() -> dict:
    """Beat, once a day: expire the invitations whose links ran out, then send the 3-day reminders."""
    return {"expired": invitations_expire(), "reminded": invitations_remind()}
