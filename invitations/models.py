from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.work import BackgroundWork
from firms.models import Company, CompanyAccess, Workspace, WorkspaceMember


class Invitation(BackgroundWork):
    """A one-time e-mailed offer: link a workspace to an existing company, activate a client's account, or
    join a workspace's team (with a role; no company).

    Its e-mail is background work (core.work): queued, then each sending attempt is a sign of life; `sent_at`
    says when it went (the reminders count from it), so the work has no finished time of its own."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link request to an existing company")
        ACTIVATION = "activation", _("Activation of an account created by the accountant")
        TEAM = "team", _("Join a workspace team")

    # The access's list shows its latest invitation with the same statuses (CompanyAccess.invitation_status).
    Status = CompanyAccess.InvitationStatus

    OPEN_STATUSES = (Status.QUEUED, Status.SENT, Status.FAILED)
    WAITING = (Status.QUEUED,)

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("workspace")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("company"),
    )
    access = models.ForeignKey(
        CompanyAccess,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("company access"),
    )
    # A team invitation's role in the workspace, given on accepting.
    role = models.CharField(_("role"), max_length=10, choices=WorkspaceMember.Role.choices, blank=True)
    email = models.EmailField(_("recipient e-mail"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations_received",
        verbose_name=_("recipient"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = None
    last_error = models.TextField(_("last sending error"), blank=True)
    last_resent_at = models.DateTimeField(_("last resent at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    renewal_requested_at = models.DateTimeField(_("new link requested at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["status", "expires_at"], name="invitation_status_expiry_idx"),
            models.Index(fields=["access", "status"], name="invitation_access_status_idx"),
            models.Index(fields=["workspace", "kind", "status"], name="invitation_ws_kind_idx"),
        ]
        constraints = [
            # A team invitation has a role and no company; the others have a company and its access.
            models.CheckConstraint(
                condition=(
                    Q(kind="team", company__isnull=True, access__isnull=True)
                    & Q(role__in=["admin", "accountant", "assistant"])
                )
                | (~Q(kind="team") & Q(company__isnull=False, access__isnull=False, role="")),
                name="invitation_team_or_company",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email} ({self.status})"

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (self.is_open and self.expires_at <= timezone.now())


class InvitationToken(models.Model):
    """A link sent in one e-mail. Only the SHA-256 of the token is stored; the link works until the
    invitation is answered, revoked or expires, or until a newer e-mail replaces it with a new link."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation link")
        verbose_name_plural = _("invitation links")

    def __str__(self):
        return f"{self.invitation_id}: {self.token_hash[:8]}…"


class InvitationEvent(models.Model):
    """The history of an invitation: each sending attempt and each answer."""

    class Kind(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Sending failed")
        REMINDED = "reminded", _("Reminder sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        RENEWAL_REQUESTED = "renewal", _("New link requested")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("invitation event")
        verbose_name_plural = _("invitation events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
