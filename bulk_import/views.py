from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.responses import CSV, XLSX, download
from core.tables import FileProblem
from firms.access import workspace_view

from .forms import ImportUploadForm
from .models import ImportJob, ImportRow
from .services import import_confirm, import_preview, import_resume, import_summary
from .spreadsheets import report_xlsx, template_csv, template_xlsx


def _job(workspace, job_id) -> dict:
    return {"job": get_object_or_404(ImportJob, pk=job_id, workspace=workspace)}


@workspace_view("GET", "POST", manage=True)
def import_upload(request, workspace):
    """Clientes → Añadir múltiples clientes: download the template, upload it filled in."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_preview(
                workspace=workspace,
                user=request.user,
                file_name=upload.name,
                data=upload.read(),
                sheet_name=form.cleaned_data["sheet"].strip(),
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("clients:import_job", job_id=job.pk)
    jobs = ImportJob.objects.filter(workspace=workspace).order_by("-created_at")[:10]
    return render(request, "bulk_import/upload.html", {"form": form, "jobs": jobs})


@workspace_view("GET", manage=True)
def import_template(request, workspace, fmt):
    if fmt == "xlsx":
        return download(template_xlsx(), XLSX, "plantilla-empresas.xlsx")
    if fmt == "csv":
        return download(template_csv(), CSV, "plantilla-empresas.csv")
    raise Http404


@workspace_view("GET", load=_job, manage=True)
def import_job(request, workspace, job):
    """The preview before confirming, the progress while the job runs, then the result."""
    rows = job.rows.select_related("company")
    if request.GET.get("errores"):
        rows = rows.filter(plan=ImportRow.Plan.ERROR)
    context = {
        "job": job,
        "rows": rows[:5000],
        "summary": import_summary(job),
        "only_errors": bool(request.GET.get("errores")),
    }
    return render(request, "bulk_import/job.html", context)


@workspace_view("GET", load=_job, manage=True)
def import_progress(request, workspace, job):
    """Polled by htmx while the job runs; once finished the page reloads to show the result."""
    response = render(request, "bulk_import/partials/progress.html", {"job": job})
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@workspace_view("POST", load=_job, manage=True)
def import_confirm_view(request, workspace, job):
    job = import_confirm(job=job)
    return redirect("clients:import_job", job_id=job.pk)


@workspace_view("POST", load=_job, manage=True)
def import_resume_view(request, workspace, job):
    """The "Resume now" button of a stalled job's page (the beat job would resume it within minutes)."""
    if import_resume(job=job):
        messages.success(request, _("The import was queued again: it goes on from the rows not done yet."))
    elif job.is_stalled:
        messages.error(
            request,
            _(
                "The processing service does not answer right now. The import resumes on its own as soon "
                "as it is back; nothing is lost."
            ),
        )
    return redirect("clients:import_job", job_id=job.pk)


@workspace_view("GET", load=_job, manage=True)
def import_report(request, workspace, job):
    return download(report_xlsx(job), XLSX, _("import-%(id)s-result.xlsx") % {"id": job.pk})
