"""The tax calendar's part of the board: the company's next due date not marked filed."""

from datetime import timedelta

from django.utils import timezone

from firms.models import CompanySnapshot
from firms.services.snapshots import company_snapshots_refresh
from firms.tasks import company_snapshot_refresh_task
from indicators.selectors import due_dates_for
from indicators.services import obligation_mark_filed
from tests.factories import UserFactory


def test_next_due_date_is_the_first_not_filed_and_marking_it_filed_queues_a_refresh(
    company_pena, monkeypatch, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    expected = sorted(
        due_dates_for(
            companies=[company_pena], start=today - timedelta(days=60), end=today + timedelta(days=400)
        ),
        key=lambda d: (d.due_date, d.obligation.order),
    )
    assert len(expected) > 1  # responsibilities 05, 42, 48: several obligations
    company_snapshots_refresh(company_ids=[company_pena.pk])
    snapshot = CompanySnapshot.objects.get(company=company_pena)
    first = expected[0]
    assert (snapshot.next_due_date, snapshot.next_due_obligation, snapshot.next_due_period) == (
        first.due_date,
        first.obligation.name,
        first.period,
    )

    queued = []
    monkeypatch.setattr("core.queue.enqueue", lambda task, *args: queued.append((task.name, args)) or True)
    with django_capture_on_commit_callbacks(execute=True):
        obligation_mark_filed(
            company=company_pena,
            obligation=first.obligation.code,
            period=first.period,
            user=UserFactory(),
            filed=True,
        )
    assert queued == [(company_snapshot_refresh_task.name, (company_pena.pk,))]
    company_snapshots_refresh(company_ids=[company_pena.pk])
    snapshot.refresh_from_db()
    later = next(
        d for d in expected if (d.obligation.code, d.period) != (first.obligation.code, first.period)
    )
    assert snapshot.next_due_date == later.due_date and snapshot.refresh_queued_at is None
