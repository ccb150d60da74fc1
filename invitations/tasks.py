from celery import shared_task
from django.conf import settings

from .services import (
    DeliveryFailed,
    invitation_deliver,
    invitations_expire,
    invitations_remind,
    renewal_request_deliver,
)

RETRY = {
    "autoretry_for": (DeliveryFailed, OSError),
    "retry_backoff": settings.EMAIL_RETRY_BACKOFF,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.EMAIL_MAX_RETRIES,
}


@shared_task(**RETRY)
def invitation_send_task(invitation_id: int, purpose: str = "invite") -> bool:
    return invitation_deliver(invitation_id=invitation_id, purpose=purpose)


@shared_task(**RETRY)
def renewal_request_send_task(invitation_id: int) -> None:
    renewal_request_deliver(invitation_id=invitation_id)


@shared_task
def invitations_daily_task() -> dict:
    """Beat, once a day: expire the invitations whose links ran out, then send the 3-day reminders."""
    return {"expired": invitations_expire(), "reminded": invitations_remind()}
