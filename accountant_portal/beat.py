"""The periodic jobs that `celery beat` queues (settings.CELERY_BEAT_SCHEDULE): one entry per job, its task
and when. Every task here is safe to run twice and does little when there is nothing to do."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "tax-reminders-daily": {
        "task": "indicators.tasks.tax_reminders_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "invitations-daily": {
        "task": "invitations.tasks.invitations_daily_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "books-balances-nightly": {
        "task": "books.tasks.balances_check_all_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "board-snapshots-nightly": {
        "task": "firms.tasks.company_snapshots_refresh_all_task",
        "schedule": crontab(hour=3, minute=0),
    },
    "provision-pending-companies": {
        "task": "firms.tasks.provision_pending_companies_task",
        "schedule": timedelta(minutes=5),
    },
    # Work whose queueing was lost (broker down) or whose worker died is queued again (core.work).
    "requeue-stalled-work": {
        "task": "core.tasks.stalled_work_requeue_task",
        "schedule": timedelta(minutes=1),
    },
}
