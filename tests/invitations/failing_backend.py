import smtplib

from django.core.mail.backends.base import BaseEmailBackend

ATTEMPTS = {"count": 0}


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        ATTEMPTS["count"] += 1
        raise smtplib.SMTPDataError(550, b"mailbox unavailable")


class FlakyBackend(BaseEmailBackend):
    """Refuses the first two messages, then delivers to Django's test outbox."""

    def send_messages(self, email_messages):
        from django.core import mail

        ATTEMPTS["count"] += 1
        if ATTEMPTS["count"] <= 2:
            raise smtplib.SMTPServerDisconnected("connection lost")
        mail.outbox.extend(email_messages)
        return len(email_messages)
