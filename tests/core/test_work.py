"""Durable background work (core.work): what stalled, queueing it again, the one beat job, company tasks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import work
from core.models import OutgoingEmail
from core.work import company_task, requeue_stalled, stalled_work_requeue, work_started

pytestmark = pytest.mark.django_db


@company_task()
def _schema_probe(company, extra: str):
    return connection.schema_name, company.pk, extra


def _email(**fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(kind="prueba", **{"queued_at": timezone.now(), **fields})


def test_work_without_news_for_the_stall_time_is_stalled_and_finished_work_never_is(settings):
    settings.WORK_STALLED_AFTER = timedelta(minutes=2)
    long_ago = timezone.now() - timedelta(minutes=3)
    waiting = _email(queued_at=long_ago)
    alive = _email(queued_at=long_ago, progress_at=timezone.now())  # queued long ago, its worker is on it
    fresh = _email()
    sent = _email(queued_at=long_ago, status="sent")
    never_queued = _email(queued_at=None)
    states = [e.is_stalled for e in (waiting, alive, fresh, sent, never_queued)]
    assert states == [True, False, False, False, False]
    assert list(OutgoingEmail.stalled().values_list("pk", flat=True)) == [waiting.pk]
    assert waiting.last_news_at == long_ago and alive.last_news_at == alive.progress_at


def test_a_worker_taking_the_work_counts_an_attempt_and_keeps_its_first_start():
    email = _email()
    OutgoingEmail.objects.filter(pk=email.pk).update(**work_started())
    first = OutgoingEmail.objects.get(pk=email.pk)
    OutgoingEmail.objects.filter(pk=email.pk).update(**work_started())
    second = OutgoingEmail.objects.get(pk=email.pk)
    assert (first.attempts, second.attempts) == (1, 2)
    assert second.started_at == first.started_at == first.progress_at < second.progress_at


def test_requeue_marks_what_it_queued_and_stops_at_the_first_row_the_broker_refuses(monkeypatch, settings):
    settings.WORK_STALLED_AFTER = timedelta(minutes=2)
    long_ago = timezone.now() - timedelta(minutes=3)
    emails = [_email(queued_at=long_ago) for _ in range(3)]
    answers = iter([True, False, True])
    queued = []
    monkeypatch.setattr("core.queue.enqueue", lambda task, *args: queued.append(args) or next(answers))
    stalled = OutgoingEmail.stalled().order_by("pk")
    assert requeue_stalled(stalled, object(), args=lambda pk: (pk, "again"), last_error="queued again") == 1
    assert queued == [(emails[0].pk, "again"), (emails[1].pk, "again")]
    first, second, third = (OutgoingEmail.objects.get(pk=email.pk) for email in emails)
    assert first.queued_at > long_ago and first.last_error == "queued again"
    assert second.queued_at == third.queued_at == long_ago  # the next beat tries them again
    assert list(OutgoingEmail.stalled().order_by("pk").values_list("pk", flat=True)) == [second.pk, third.pk]


def test_the_beat_job_goes_on_when_one_app_fails(monkeypatch):
    def broken() -> int:
        raise RuntimeError("a schema is missing")

    monkeypatch.setattr(work, "STALLED_WORK", [broken, lambda: 2, lambda: 1])
    assert stalled_work_requeue() == 3


def test_a_company_task_runs_in_its_company_schema_and_not_at_all_for_a_company_gone(company_pena):
    assert _schema_probe(company_pena.pk, "x") == (company_pena.schema_name, company_pena.pk, "x")
    assert connection.schema_name == "public"
    assert _schema_probe(0, "x") is None
    assert _schema_probe.name == "tests.core.test_work._schema_probe"
