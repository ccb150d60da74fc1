"""Writes of indicators and the tax calendar: read marks, filings, the private feed, the reminders."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.emails import email_message
from core.tokens import token_hash, token_new
from core.urls import absolute_url
from firms.models import Company
from firms.services.audit import audit_record
from firms.services.snapshots import snapshot_refresh_queue

from .models import CalendarFeed, DueDateReminder, ObligationFiling, Resource, ResourceRead
from .selectors import due_dates_for, user_calendar_companies


def resource_mark_read(*, resource: Resource, user: User) -> None:
    ResourceRead.objects.get_or_create(user=user, resource=resource)


def obligation_mark_filed(*, company: Company, obligation: str, period: str, user: User, filed: bool) -> None:
    with transaction.atomic():
        if filed:
            _filing, changed = ObligationFiling.objects.get_or_create(
                company=company, obligation=obligation, period=period, defaults={"filed_by": user}
            )
        else:
            changed, _deleted = ObligationFiling.objects.filter(
                company=company, obligation=obligation, period=period
            ).delete()
        if changed:  # ticking a box already ticked changes nothing
            audit_record(
                action="obligation.filed" if filed else "obligation.unfiled",
                actor=user,
                company=company,
                object_type="obligationfiling",
                object_label=f"{obligation} {period}",
            )
            snapshot_refresh_queue(company_id=company.pk)  # the board's next due date


# The private ICS feed ---------------------------------------------------------------------------


def calendar_feed_renew(*, user: User) -> str:
    """A new private feed address for the user (the old one stops working). Returns the raw token."""
    token = token_new()
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
    )
    return token


def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# Reminders --------------------------------------------------------------------------------------


def tax_reminder_send(*, user_id: int) -> int:
    """E-mail one accountant the due dates of the next TAX_REMINDER_DAYS days not reminded yet."""
    user = User.objects.get(pk=user_id)
    if not user.tax_reminders or not user.is_active:
        return 0
    today = timezone.localdate()
    due = [
        d
        for d in due_dates_for(
            companies=user_calendar_companies(user),
            start=today,
            end=today + timedelta(days=settings.TAX_REMINDER_DAYS),
        )
        if not d.filed
    ]
    sent = set(
        DueDateReminder.objects.filter(user=user, due_date__gte=today).values_list(
            "company_id", "obligation", "period"
        )
    )
    new = [d for d in due if (d.company.pk, d.obligation.code, d.period) not in sent]
    if not new:
        return 0
    with transaction.atomic():
        DueDateReminder.objects.bulk_create(
            [
                DueDateReminder(
                    user=user,
                    company=d.company,
                    obligation=d.obligation.code,
                    period=d.period,
                    due_date=d.due_date,
                )
                for d in new
            ],
            ignore_conflicts=True,
        )
        message = email_message(
            template="tax_reminder",
            to=[user.email],
            language=user.language,
            context={
                "user": user,
                "due_dates": new,
                "days": settings.TAX_REMINDER_DAYS,
                "calendar_url": absolute_url(reverse("tax:calendar")),
            },
        )
        message.send()  # an error rolls the records back: the next run sends them again
    return len(new)
