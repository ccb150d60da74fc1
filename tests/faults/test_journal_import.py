"""A comprobante import survives its worker's death and a Redis restart: each comprobante posted once,
the trial balance equal to the file's totals, the job done (real workers, SIGKILL, a Redis of its own)."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from books.models import Entry, EntryLine, JournalImport
from books.reports.trial_balance import trial_balance
from books.services.journal import journal_confirm, journal_preview
from books.services.journal import journal_imports_resume as journal_imports_resume_task
from books.services.journal_file import JOURNAL
from tests.outages import broker_at, kill_worker, wait_for

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]
BIG = 1200  # comprobantes: three chunks of books.services.journal.CHUNK, so that a kill lands mid-import


def journal_file(voucher: str, count: int, month: int) -> tuple[bytes, Decimal]:
    """`count` comprobantes of two lines (cash against sales to one of 20 clients, created by the import)
    dated in `month` of 2026, and their total."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(JOURNAL.headers.values())
    total = Decimal(0)
    for number in range(1, count + 1):
        amount = Decimal(1000 + number) + Decimal("0.35")
        total += amount
        day = f"2026-{month:02d}-{number % 28 + 1:02d}"
        client = 800_100_000 + number % 20
        writer.writerow([voucher, number, day, "110505", "", "", "", "Contado", amount, ""])
        writer.writerow(
            [voucher, number, day, "413595", client, f"Cliente {client % 100}", "", "Venta", "", amount]
        )
    return buffer.getvalue().encode(), total


def confirmed(user, company, voucher: str, count: int, month: int) -> tuple[JournalImport, Decimal]:
    data, total = journal_file(voucher, count, month)
    with schema_context(company.schema_name):
        job = journal_preview(file_name=f"{voucher}.csv", data=data, user=user)
        assert job.to_post == count
        return journal_confirm(job=job, company_id=company.pk), total


def job_now(company, job: JournalImport) -> JournalImport:
    with schema_context(company.schema_name):
        return JournalImport.objects.get(pk=job.pk)


def assert_posted_once(company, job: JournalImport, voucher: str, count: int) -> JournalImport:
    """The job done with exact counters, each comprobante in the books once with its two lines."""
    with schema_context(company.schema_name):
        job = JournalImport.objects.get(pk=job.pk)
        assert (job.status, job.error) == ("done", "")
        counters = (job.posted_count, job.posted_lines, job.skipped_count, job.error_count)
        assert counters == (count, 2 * count, 0, 0)
        assert set(job.entries.values_list("outcome", flat=True)) == {"posted"}
        entries = Entry.objects.filter(voucher_type__code=voucher)
        assert entries.count() == count and entries.filter(status="posted").count() == count
        assert sorted(entries.values_list("number", flat=True)) == list(range(1, count + 1))
        assert EntryLine.objects.filter(entry__voucher_type__code=voucher).count() == 2 * count
        assert job.entries.filter(entry_id__isnull=True).count() == 0
    return job


def assert_trial_balance(company, month: int, total: Decimal) -> None:
    """The month's debits and credits are the file's (the module's tests share the company's books)."""
    with schema_context(company.schema_name):
        rows = trial_balance(start=date(2026, month, 1), end=date(2026, month, 28))
    assert {(row.code, row.debit, row.credit) for row in rows} == {
        ("110505", total, Decimal(0)),
        ("413595", Decimal(0), total),
    }


def test_an_import_whose_worker_died_is_resumed_by_its_page_and_posts_each_comprobante_once(
    books_company, workers, settings
):
    user, company = books_company
    job, total = confirmed(user, company, "CC", BIG, month=1)
    worker = workers.start()
    assert wait_for(lambda: job_now(company, job).posted_count > 0, 120), workers.log()
    kill_worker(worker)  # the worker's machine dies: nobody gives the task back before Redis's hour is up
    at_kill = job_now(company, job)
    assert at_kill.status == "running" and 0 < at_kill.posted_count < BIG, "killed too late"

    browser = Client()
    browser.force_login(user)
    progress = f"/c/{company.slug}/comprobantes/importar/{job.pk}/progreso/"
    settings.WORK_STALLED_AFTER = timedelta(seconds=1)  # minutes in production
    # The page polls every second: a job without progress for WORK_STALLED_AFTER is queued again.
    assert wait_for(
        lambda: browser.get(progress).status_code == 200 and job_now(company, job).resumed_count, 9
    )
    resumed = job_now(company, job)
    # Queued once, not at every poll: being queued is news, the next polls wait WORK_STALLED_AFTER again.
    assert resumed.resumed_count == 1 and resumed.last_news_at == resumed.queued_at > at_kill.progress_at
    settings.WORK_STALLED_AFTER = timedelta(minutes=2)
    assert f"{at_kill.posted_count} de {BIG} comprobantes" in browser.get(progress).content.decode()

    workers.start()
    assert wait_for(lambda: job_now(company, job).status == "done", 120), workers.log()
    done = assert_posted_once(company, job, "CC", BIG)
    assert done.resumed_count == 1
    assert_trial_balance(company, 1, total)
    assert "Terminada" in browser.get(progress).content.decode()


def test_imports_go_on_through_a_redis_restart_and_the_one_whose_queueing_was_lost_is_resumed(
    books_company, workers, redis_server, settings
):
    """The running import goes on while Redis is down; the one waiting in Redis is lost with it (no
    persistence) and the beat job queues it again once Redis is back. Nothing twice."""
    user, company = books_company
    with broker_at(redis_server.url):
        running, running_total = confirmed(user, company, "FV", BIG, month=2)
        waiting, waiting_total = confirmed(user, company, "RC", 40, month=2)
        workers.start(TEST_REDIS_URL=redis_server.url)
        assert wait_for(lambda: job_now(company, running).posted_count > 0, 120), workers.log()
        redis_server.kill()
        at_kill = job_now(company, running).posted_count
        assert at_kill < BIG, "Redis went down too late"
        assert wait_for(lambda: job_now(company, running).posted_count > at_kill, 60), workers.log()
        redis_server.start()
        assert wait_for(lambda: job_now(company, running).status == "done", 120), workers.log()
        assert job_now(company, waiting).status == "queued"  # its task went down with Redis

        settings.WORK_STALLED_AFTER = timedelta(seconds=1)
        assert journal_imports_resume_task() == 1  # the beat job; the finished one is left alone
        queued = job_now(company, waiting)
        assert queued.last_news_at == queued.queued_at > queued.confirmed_at  # not again before it stalls
        assert wait_for(lambda: job_now(company, waiting).status == "done", 60), workers.log()
    assert assert_posted_once(company, running, "FV", BIG).resumed_count == 0
    assert assert_posted_once(company, waiting, "RC", 40).resumed_count == 1
    assert_trial_balance(company, 2, running_total + waiting_total)
