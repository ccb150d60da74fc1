"""The outbox: sealed messages, one attempt at a time, queued again when the queueing was lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from core.emails import DeliveryFailed
from core.models import OutgoingEmail
from core.services import outgoing_email_queue, outgoing_email_send, outgoing_emails_requeue
from tests.outages import broker_at

pytestmark = pytest.mark.django_db


def _message(subject="Asunto & Cía"):
    message = EmailMultiAlternatives(
        subject=subject, body="Texto", to=["ana@example.com"], reply_to=["soporte@example.com"]
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    return message


def test_the_message_comes_out_as_it_went_in():
    email = outgoing_email_queue(message=_message(), kind="prueba")
    assert outgoing_email_send(email_id=email.pk) is True
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to, sent.reply_to) == (
        "Asunto & Cía",
        "Texto",
        ["ana@example.com"],
        ["soporte@example.com"],
    )
    assert sent.alternatives[0][0] == "<p>HTML</p>"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sealed_message) == ("sent", 1, "")


def test_the_last_failed_attempt_gives_up_and_erases_the_message(settings):
    settings.EMAIL_BACKEND = "tests.invitations.failing_backend.RefusingBackend"
    email = outgoing_email_queue(message=_message(), kind="prueba")
    with pytest.raises(DeliveryFailed):
        outgoing_email_send(email_id=email.pk)
    with pytest.raises(DeliveryFailed):
        outgoing_email_send(email_id=email.pk, last_attempt=True)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sealed_message) == ("failed", 2, "")
    assert "SMTPDataError" in email.last_error


def test_a_message_sealed_with_another_key_is_given_up_not_an_error(settings):
    email = outgoing_email_queue(message=_message(), kind="prueba")
    settings.SECRET_KEY = "otra-clave"
    assert outgoing_email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == "failed" and mail.outbox == []


def test_a_rotated_secret_key_still_opens_the_messages_waiting(settings):
    email = outgoing_email_queue(message=_message(), kind="prueba")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "clave-nueva"
    assert outgoing_email_send(email_id=email.pk) is True


def test_beat_queues_again_only_what_was_never_tried_and_gives_up_what_is_too_old(redis_server):
    stalled = outgoing_email_queue(message=_message(), kind="perdido")
    tried = outgoing_email_queue(message=_message(), kind="reintentando")
    fresh = outgoing_email_queue(message=_message(), kind="reciente")
    old = outgoing_email_queue(message=_message(), kind="viejo")
    long_ago = timezone.now() - timedelta(minutes=10)
    OutgoingEmail.objects.filter(pk__in=[stalled.pk, tried.pk]).update(queued_at=long_ago)
    OutgoingEmail.objects.filter(pk=tried.pk).update(attempts=1)  # its task is retrying with back-off
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    with broker_at(redis_server.url):
        assert outgoing_emails_requeue() == 1
    assert redis_server.queued_task_args() == [("core.tasks.outgoing_email_send_task", [stalled.pk])]
    statuses = dict(OutgoingEmail.objects.values_list("kind", "status"))
    assert statuses == {
        "perdido": "pending",
        "reintentando": "pending",
        "reciente": "pending",
        "viejo": "failed",
    }
    stalled.refresh_from_db()
    assert stalled.queued_at > long_ago  # not queued again at the next beat
    with broker_at(redis_server.url):
        assert outgoing_emails_requeue() == 0
    assert fresh.pk not in [args[0] for _task, args in redis_server.queued_task_args()]


def test_beat_leaves_the_e_mails_pending_while_the_broker_is_down(redis_server):
    email = outgoing_email_queue(message=_message(), kind="perdido")
    OutgoingEmail.objects.filter(pk=email.pk).update(queued_at=timezone.now() - timedelta(minutes=10))
    redis_server.kill()
    with broker_at(redis_server.url):
        assert outgoing_emails_requeue() == 0
    email.refresh_from_db()
    assert email.status == "pending" and email.queued_at < timezone.now() - timedelta(minutes=9)
