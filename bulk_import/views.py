from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accountant_portal.responses import CSV, XLSX, download
from firms.access import workspace_for_request

from .forms import ImportUploadForm
from .models import ImportJob, ImportRow
from .parsing import FileProblem
from .services import import_confirm, import_preview, import_summary
from .spreadsheets import report_xlsx, template_csv, template_xlsx


def _job(request, job_id) -> ImportJob:
    return get_object_or_404(ImportJob, pk=job_id, workspace=workspace_for_request(request))


@login_required
def import_upload(request):
    """Clientes → Añadir múltiples clientes: download the template, upload it filled in."""
    workspace = workspace_for_request(request)
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


@login_required
def import_template(request, fmt):
    workspace_for_request(request)
    if fmt == "xlsx":
        return download(template_xlsx(), XLSX, "plantilla-empresas.xlsx")
    if fmt == "csv":
        return download(template_csv(), CSV, "plantilla-empresas.csv")
    raise Http404


@login_required
def import_job(request, job_id):
    """The preview before confirming, the progress while the job runs, then the result."""
    job = _job(request, job_id)
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


@login_required
def import_progress(request, job_id):
    """Polled by htmx while the job runs; once finished the page reloads to show the result."""
    job = _job(request, job_id)
    response = render(request, "bulk_import/partials/progress.html", {"job": job})
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
def import_confirm_view(request, job_id):
    job = _job(request, job_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    import_confirm(job=job)
    return redirect("clients:import_job", job_id=job.pk)


@login_required
def import_report(request, job_id):
    job = _job(request, job_id)
    return download(report_xlsx(job), XLSX, _("import-%(id)s-result.xlsx") % {"id": job.pk})
