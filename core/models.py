from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .work import BackgroundWork


class OutgoingEmail(BackgroundWork):
    """An e-mail waiting for a worker to send it (see core.services.outgoing_email_queue).

    The rendered message is kept sealed (core.crypto), since it may hold a secret link, and is erased
    once sent or given up (finished_at): the row then only tells what happened. `attempts` are its sending
    attempts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed to send")

    WAITING = (Status.PENDING,)

    kind = models.CharField(_("kind"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    sealed_message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_error = models.TextField(_("last sending error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "queued_at"], name="outgoing_email_status_idx")]

    def __str__(self):
        return f"{self.kind} ({self.status})"
