"""Durable background work: recorded in the database, queued when the transaction commits, queued again by
one beat job when it stalled (its queueing was lost while the broker was down, or its worker died).

- `BackgroundWork`, the model mixin of a job row: when it was queued, first started, last gave a sign of life
  and finished, how many times a worker took it, and `is_stalled`.
- `queue(row, task, *args)`: mark the row queued now and queue the task once the transaction commits; when
  the broker cannot be reached the row still says it waits (core.queue), and the beat job queues it again.
- `requeue_stalled(queryset, task)`: queue again the stalled rows of a queryset; each app registers what
  the beat job walks (`stalled_work_register`, in its AppConfig.ready(): core imports no app).
- `company_task`: a Celery task over one company's schema; `retry_or_fail`, what a job's task does with an
  error.

One setting for all of it: WORK_STALLED_AFTER, how long work may wait or run without a sign of life.
Every task is safe to run twice, so work queued again while it was merely slow costs time, never a
duplicate.
"""

import functools
import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from typing import ClassVar, NoReturn

from celery import shared_task
from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_tenant_model, schema_context

from . import queue as broker
from .database import owner_connection

logger = logging.getLogger(__name__)


def stalled_before() -> datetime:
    """Work without a sign of life since this moment has stalled."""
    return timezone.now() - settings.WORK_STALLED_AFTER


class BackgroundWork(models.Model):
    """What a job row records of its work (the model has a `status`; WAITING are the statuses in which the
    work waits for a worker or is being done)."""

    WAITING: ClassVar[tuple[str, ...]] = ("queued", "running")

    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The worker's last sign of life: each attempt, each chunk done.
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        abstract = True

    @property
    def last_news_at(self) -> datetime | None:
        """When the work last moved: queued, taken by a worker, or a sign of life of its worker."""
        return max(filter(None, [self.queued_at, self.started_at, self.progress_at]), default=None)

    @property
    def is_stalled(self) -> bool:
        """Waiting or running, but nothing happened for WORK_STALLED_AFTER: no worker took it (its queueing
        was lost), or its worker died."""
        last = self.last_news_at
        return self.status in self.WAITING and last is not None and last < stalled_before()

    @classmethod
    def stalled(cls) -> models.QuerySet:
        """The rows for which is_stalled holds, for requeue_stalled."""
        return (
            cls._default_manager.filter(status__in=cls.WAITING)
            .alias(last_news=Greatest("queued_at", "started_at", "progress_at"))
            .filter(last_news__lt=stalled_before())
        )


def work_started() -> dict:
    """The fields a worker updates as it takes the work: one attempt more, its first start, a sign of life
    (for `.update(**work_started())`)."""
    now = timezone.now()
    return {
        "attempts": F("attempts") + 1,
        "started_at": Coalesce("started_at", Value(now)),
        "progress_at": now,
    }


def queue(row: models.Model, task, *args, field: str = "queued_at") -> None:
    """Mark `row` queued now (its `field`) and queue `task(*args)` (by default the row's id) once the current
    transaction commits; nothing is queued if it rolls back."""
    now = timezone.now()
    type(row)._default_manager.filter(pk=row.pk).update(**{field: now})
    setattr(row, field, now)
    broker.enqueue_on_commit(task, *(args or (row.pk,)))


def requeue_stalled(
    queryset: models.QuerySet,
    task,
    *,
    args: Callable[[int], tuple] | None = None,
    field: str = "queued_at",
    **also,
) -> int:
    """Queue `task` again for each row of `queryset`, the stalled work (BackgroundWork.stalled(), or the
    rows whose `field` mark is older than stalled_before()), with `args(id)` (by default the row's id).
    Each row queued is marked queued now (its `field`, and the `also` updates) while it is still stalled,
    so that it is not queued again before it stalls anew. Stops at the first row the broker refuses: the
    next beat tries again. Returns how many were queued."""
    queued = 0
    for pk in queryset.values_list("pk", flat=True):
        if not broker.enqueue(task, *(args(pk) if args else (pk,))):
            break
        queryset.filter(pk=pk).update(**{field: timezone.now()}, **also)
        queued += 1
    return queued


def retry_or_fail(
    task, error: Exception, *, fail: Callable[[str], object], note: Callable[[str], object] | None = None
) -> NoReturn:
    """In a bound task's `except`: retry the task (after `note(message)`: the error its page shows meanwhile),
    or after its last retry `fail(message)` (the work gave up) and raise the error again."""
    message = str(error)
    if task.request.retries >= task.max_retries:
        fail(message)
        raise error
    if note is not None:
        note(message)
    raise task.retry(exc=error) from error


# What the beat job walks: functions that queue again an app's stalled work and return how many they queued.
STALLED_WORK: list[Callable[[], int]] = []


def stalled_work_register(requeue: Callable[[], int]) -> None:
    if requeue not in STALLED_WORK:
        STALLED_WORK.append(requeue)


def stalled_work_requeue() -> int:
    """The beat job: every app's stalled work queued again. One app's failure does not stop the others."""
    queued = 0
    for requeue in STALLED_WORK:
        try:
            queued += requeue()
        except Exception:
            logger.exception("Could not queue again the stalled work of %s", requeue.__qualname__)
    return queued


def company_task(*, owner: bool = False, **options):
    """A Celery task over one company's schema: its first argument is the company's id, and the function gets
    the company (django-tenants' tenant model) instead, run in the company's schema; nothing runs (None) if
    the company no longer exists. With `owner`, on a connection as the owner role (core.database). `options`
    are shared_task's (with bind=True the function gets the task first, as usual)."""

    def decorate(function):
        bound = 1 if options.get("bind") else 0

        @functools.wraps(function)
        def run(*args, **kwargs):
            task, (company_id, *rest) = args[:bound], args[bound:]
            company = get_tenant_model().objects.filter(pk=company_id).first()
            if company is None:
                return None
            with owner_connection() if owner else nullcontext(), schema_context(company.schema_name):
                return function(*task, company, *rest, **kwargs)

        return shared_task(**options)(run)

    return decorate
