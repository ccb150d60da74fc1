from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.work import BackgroundWork
from firms.models import Company, Country, Workspace


class ImportJob(BackgroundWork):
    """One uploaded spreadsheet of companies: previewed, then processed by a Celery job (core.work: each
    chunk is a sign of life; a job queued or running without one is queued again)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    total_rows = models.PositiveIntegerField(default=0)
    rows_to_process = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    linked_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # How many times a stalled job was queued again (its page says it resumed).
    resumed_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("company import")
        verbose_name_plural = _("company imports")

    def __str__(self):
        return f"{self.file_name} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if not self.rows_to_process:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.rows_to_process))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportRow(models.Model):
    class Plan(models.TextChoices):
        # The preview never tells whether a company already has the tax ID (see services._plan_rows):
        # every new row is "add"; creating it or asking its owners is decided after confirming.
        ADD = "add", _("To add")
        CREATE = "create", _("Create")  # jobs previewed before "add" existed
        LINK = "link", _("Link request")
        SKIP = "skip", _("Skip")
        ERROR = "error", _("Error")

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        LINKED = "linked", _("Link request sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("company name"), max_length=300, blank=True)
    tax_id_raw = models.CharField(_("tax ID as written"), max_length=100, blank=True)
    phone_raw = models.CharField(max_length=100, blank=True)
    email_raw = models.CharField(max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    tax_id = models.CharField(max_length=30, blank=True)
    check_digit = models.CharField(max_length=2, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    plan = models.CharField(_("planned outcome"), max_length=10, choices=Plan.choices)
    messages = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    detail = models.TextField(blank=True)
    company = models.ForeignKey(Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["row_number"]
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="import_row_unique")]
        indexes = [models.Index(fields=["job", "outcome", "row_number"], name="import_row_todo_idx")]

    def __str__(self):
        return f"{self.job_id}:{self.row_number} {self.name}"
