"""What the worker does with the outbox, for tests that run without one."""

from django.core import mail

from core.models import OutgoingEmail
from core.services import outgoing_email_send


def send_outbox() -> list:
    """Send every e-mail waiting in the outbox; returns the messages that went out."""
    before = len(mail.outbox)
    pending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).order_by("pk")
    for email_id in pending.values_list("pk", flat=True):
        outgoing_email_send(email_id=email_id)
    return mail.outbox[before:]
