"""The tax calendar's part of the portfolio board (firms.services.snapshots): each company's next due
date that is not marked filed (an overdue one comes first: it is the most urgent)."""

from datetime import timedelta

from django.utils import timezone

from firms.models import Company

from .selectors import OVERDUE_DAYS, due_dates_for

# How far ahead the board looks for the next due date (the calendar of the year after is published late).
HORIZON_DAYS = 400


def tax_calendar_snapshot_contributor(companies: list[Company]) -> dict[int, dict]:
    today = timezone.localdate()
    due_dates = due_dates_for(
        companies=companies,
        start=today - timedelta(days=OVERDUE_DAYS),
        end=today + timedelta(days=HORIZON_DAYS),
    )
    result = {
        company.pk: {"next_due_date": None, "next_due_obligation": "", "next_due_period": ""}
        for company in companies
    }
    for due in sorted(due_dates, key=lambda d: (d.due_date, d.obligation.order)):
        fields = result[due.company.pk]
        if due.filed or fields["next_due_date"] is not None:
            continue
        fields.update(
            next_due_date=due.due_date,
            next_due_obligation=due.obligation.name[:200],
            next_due_period=due.period[:20],
        )
    return result
