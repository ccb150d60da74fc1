"""The outbox: e-mails rendered where they are asked for, and sent by a Celery worker with retries.

A page never waits for the mail server: it records the message and queues a task once its transaction
commits (core.work). If the broker is down, the row stays pending and the beat job queues it again; if the
mail server refuses, the task retries with a growing back-off.
"""

import json
import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .crypto import InvalidToken, seal, unseal
from .emails import DeliveryFailed
from .models import OutgoingEmail
from .work import queue, requeue_stalled, work_started

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status


def outgoing_email_queue(*, message: EmailMessage, kind: str) -> OutgoingEmail:
    """Keep `message` (sealed) and queue its sending once the current transaction commits."""
    if message.attachments:
        raise ValueError("The outbox carries no attachments.")
    data = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
    }
    email = OutgoingEmail.objects.create(kind=kind[:100], sealed_message=seal(json.dumps(data).encode()))
    from .tasks import outgoing_email_send_task

    queue(email, outgoing_email_send_task)
    return email


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    data = json.loads(
        unseal(email.sealed_message, max_age_seconds=int(settings.OUTBOX_MAX_AGE.total_seconds()))
    )
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def outgoing_email_send(*, email_id: int, last_attempt: bool = False) -> bool:
    """One attempt to send a queued e-mail; safe to run twice (a sent e-mail is not sent again).

    Returns False when there is nothing to send. Raises DeliveryFailed when the backend refuses (the
    task retries); on the last attempt the e-mail is given up and its message erased.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != Status.PENDING:
            return False
        try:
            message = _message(email)
        except (InvalidToken, ValueError, KeyError):
            _give_up(email, "the message could not be read (too old, or sealed with another SECRET_KEY)")
            return False
        OutgoingEmail.objects.filter(pk=email.pk).update(**work_started())
        try:
            message.send()
        except Exception as exc:  # any backend error: SMTP, network, timeouts
            error = f"{exc.__class__.__name__}: {exc}"
            if last_attempt:
                _give_up(email, error)
            else:
                email.last_error = error[:2000]
                email.save(update_fields=["last_error"])
        else:
            _finish(email, Status.SENT)
            return True
    raise DeliveryFailed(error)


def _give_up(email: OutgoingEmail, error: str) -> None:
    logger.warning("Gave up sending e-mail %s (%s): %s", email.pk, email.kind, error)
    _finish(email, Status.FAILED, error)


def _finish(email: OutgoingEmail, status: str, error: str = "") -> None:
    """Sent or given up: the message is erased."""
    email.status, email.finished_at, email.sealed_message, email.last_error = (
        status,
        timezone.now(),
        "",
        error[:2000],
    )
    email.save(update_fields=["status", "finished_at", "sealed_message", "last_error"])


def outgoing_emails_requeue() -> int:
    """Beat: queue again the e-mails whose queueing was lost (never tried, queued WORK_STALLED_AFTER ago: one
    that was tried is in its task's retries), and give up those older than OUTBOX_MAX_AGE (their links have
    expired). Returns how many were queued."""
    too_old = OutgoingEmail.objects.filter(
        status=Status.PENDING, created_at__lt=timezone.now() - settings.OUTBOX_MAX_AGE
    )
    too_old.update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        sealed_message="",
        last_error="gave up: never sent in time",
    )
    from .tasks import outgoing_email_send_task

    return requeue_stalled(OutgoingEmail.stalled().filter(attempts=0), outgoing_email_send_task)
