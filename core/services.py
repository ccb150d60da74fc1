"""The outbox: e-mails rendered where they are asked for, and sent by a Celery worker with retries.

A page never waits for the mail server: it records the message and queues a task once its transaction
commits. If the broker is down, the row stays pending and a beat job queues it again; if the mail server
refuses, the task retries with a growing back-off.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .crypto import InvalidToken, seal, unseal
from .emails import DeliveryFailed
from .models import OutgoingEmail
from .queue import enqueue, enqueue_on_commit

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

    enqueue_on_commit(outgoing_email_send_task, email.pk)
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
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # any backend error: SMTP, network, timeouts
            error = f"{exc.__class__.__name__}: {exc}"
            if last_attempt:
                _give_up(email, error)
            else:
                email.last_error = error[:2000]
                email.save(update_fields=["attempts", "last_error"])
        else:
            email.status, email.sent_at, email.sealed_message, email.last_error = (
                Status.SENT,
                timezone.now(),
                "",
                "",
            )
            email.save(update_fields=["status", "sent_at", "sealed_message", "last_error", "attempts"])
            return True
    raise DeliveryFailed(error)


def _give_up(email: OutgoingEmail, error: str) -> None:
    logger.warning("Gave up sending e-mail %s (%s): %s", email.pk, email.kind, error)
    email.status, email.sealed_message, email.last_error = Status.FAILED, "", error[:2000]
    email.save(update_fields=["status", "sealed_message", "last_error", "attempts"])


def outgoing_emails_requeue(*, stalled_after: timedelta | None = None) -> int:
    """Beat: queue again the e-mails whose queueing was lost (never tried, queued a while ago), and give
    up those older than OUTBOX_MAX_AGE (their links have expired). Returns how many were queued."""
    now = timezone.now()
    stalled_after = settings.QUEUE_STALLED_AFTER if stalled_after is None else stalled_after
    too_old = OutgoingEmail.objects.filter(
        status=Status.PENDING, created_at__lt=now - settings.OUTBOX_MAX_AGE
    )
    too_old.update(status=Status.FAILED, sealed_message="", last_error="gave up: never sent in time")
    from .tasks import outgoing_email_send_task

    queued = 0
    stalled = OutgoingEmail.objects.filter(
        status=Status.PENDING, attempts=0, queued_at__lt=now - stalled_after
    )
    for email_id in stalled.values_list("pk", flat=True):
        if enqueue(outgoing_email_send_task, email_id):
            OutgoingEmail.objects.filter(pk=email_id).update(queued_at=timezone.now())
            queued += 1
    return queued
