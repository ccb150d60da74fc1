"""Large report files, written by a Celery job that records its progress (the page polls it)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from core.work import queue, requeue_stalled, work_started

from ..models import ReportExport
from .exports import report_file, report_file_name
from .tables import TABLES, ReportParams


def report_export_queue(
    *, kind: str, fmt: str, params: ReportParams, rows: int, company_id: int, user
) -> ReportExport:
    with transaction.atomic():
        export = ReportExport.objects.create(
            kind=kind,
            fmt=fmt,
            params=params.to_json(),
            total_rows=rows,
            created_by_id=getattr(user, "pk", None),
            language=translation.get_language() or "",
        )
        from ..tasks import report_export_task

        # If the broker is down the export waits as queued, and report_export_resume queues it again.
        queue(export, report_export_task, company_id, export.pk)
    return export


def report_export_resume(*, export: ReportExport, company_id: int) -> bool:
    """Queue again an export without a sign of life for WORK_STALLED_AFTER (its queueing was lost while
    the broker was down, or its worker died); called as its page polls. Writing it again is safe."""
    from ..tasks import report_export_task

    stalled = ReportExport.stalled().filter(pk=export.pk)
    queued = requeue_stalled(
        stalled, report_export_task, args=lambda pk: (company_id, pk), status=ReportExport.Status.QUEUED
    )
    return queued == 1


def report_export_write(*, export_id: int, company) -> ReportExport:
    """Write the file (safe to run twice: a finished export is left as it is)."""
    export = ReportExport.objects.get(pk=export_id)
    if export.status == ReportExport.Status.DONE:
        return export
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.RUNNING, done_rows=0, **work_started()
    )

    def progress(count: int) -> None:
        ReportExport.objects.filter(pk=export_id).update(done_rows=count, progress_at=timezone.now())

    with translation.override(export.language or settings.LANGUAGE_CODE):
        report = TABLES[export.kind](ReportParams.from_json(export.params))
        content = report_file(report, fmt=export.fmt, company=company, progress=progress)
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.DONE,
        content=content,
        file_name=report_file_name(report, company=company, fmt=export.fmt),
        finished_at=timezone.now(),
    )
    return ReportExport.objects.get(pk=export_id)
