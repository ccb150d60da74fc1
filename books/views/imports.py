"""The journal import's pages: upload, preview, confirm, progress and report."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.responses import CSV, XLSX, download
from core.tables import FileProblem
from firms.access import company_view

from ..forms import (
    JournalUploadForm,
)
from ..models import (
    JournalImport,
    JournalImportEntry,
)
from ..services.journal import (
    journal_confirm,
    journal_consecutive_moves,
    journal_preview,
    journal_resume,
    journal_summary,
)
from ..spreadsheets import journal_report_xlsx, journal_template_csv, journal_template_xlsx
from .common import redirect_to


@company_view("GET", "POST")
def journal_upload(request, company):
    """Importar comprobantes: the template, the upload, and the imports made before."""
    form = JournalUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = journal_preview(
                file_name=upload.name,
                data=upload.read(),
                user=request.user,
                sheet_name=form.cleaned_data["sheet"],
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect_to("journal_job", company, import_id=job.pk)
    jobs = JournalImport.objects.all()[:10]
    return render(request, "books/journal_upload.html", {"company": company, "form": form, "jobs": jobs})


@company_view("GET")
def journal_template(request, company, fmt):
    if fmt == "xlsx":
        return download(journal_template_xlsx(), XLSX, "plantilla-comprobantes.xlsx")
    if fmt == "csv":
        return download(journal_template_csv(), CSV, "plantilla-comprobantes.csv")
    raise Http404


def _journal(import_id) -> JournalImport:
    return get_object_or_404(JournalImport, pk=import_id)


@company_view("GET")
def journal_job(request, company, import_id):
    """The preview before confirming, the progress while the job posts, then the result."""
    job = _journal(import_id)
    journal_resume(job=job, company_id=company.pk)  # a job without news for minutes is queued again
    entries = job.entries.all()
    only_errors = bool(request.GET.get("errores"))
    if only_errors:
        entries = entries.filter(plan=JournalImportEntry.Plan.ERROR) | entries.filter(
            outcome=JournalImportEntry.Outcome.FAILED
        )
    context = {
        "company": company,
        "job": job,
        "entries": entries.order_by("position")[:1000],
        "summary": journal_summary(job),
        "consecutive_moves": journal_consecutive_moves(job)
        if job.status == JournalImport.Status.PREVIEW
        else [],
        "only_errors": only_errors,
    }
    return render(request, "books/journal_job.html", context)


@company_view("POST", posting=True)
def journal_confirm_view(request, company, import_id):
    job = journal_confirm(job=_journal(import_id), company_id=company.pk)
    return redirect_to("journal_job", company, import_id=job.pk)


@company_view("GET")
def journal_progress(request, company, import_id):
    """Polled by htmx while the job runs; once finished the page reloads to show the result."""
    job = _journal(import_id)
    journal_resume(job=job, company_id=company.pk)
    response = render(request, "books/partials/journal_progress.html", {"company": company, "job": job})
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@company_view("GET")
def journal_report(request, company, import_id):
    job = _journal(import_id)
    return download(journal_report_xlsx(job), XLSX, _("comprobantes-import-%(id)s.xlsx") % {"id": job.pk})
