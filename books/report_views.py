"""The reports' pages (Informes): each on screen, as XLSX and CSV (?formato=), and as a print view
(?imprimir=1). A file larger than INLINE_ROWS rows is written by a Celery job that shows its progress."""

from itertools import islice

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.responses import CSV, XLSX, download
from firms.access import company_view

from .forms import ReportForm, SignaturesForm
from .models import BooksSettings, ReportExport
from .reports.exports import INLINE_ROWS, TableReport, report_file
from .reports.jobs import report_export_queue, report_export_resume
from .reports.ledgers import (
    auxiliary,
    general_ledger,
    journal_by_day,
    journal_entries,
    journal_totals_by_type,
)
from .reports.statements import statements
from .reports.tables import TABLES, trial_balance_rows
from .services.periods import signatures_set

CONTENT_TYPES = {"xlsx": XLSX, "csv": CSV}


def _file(request, company, kind: str, params):
    """The report's file now, or a job for a large one (then the export's page)."""
    fmt = request.GET["formato"]
    report = TABLES[kind](params)
    head = list(islice(report.rows, INLINE_ROWS + 1))
    if len(head) > INLINE_ROWS:
        export = report_export_queue(
            kind=kind, fmt=fmt, params=params, rows=len(head), company_id=company.pk, user=request.user
        )
        messages.info(
            request, _("The report is large: its file is being written, and this page shows the progress.")
        )
        return redirect("books:report_export", company_slug=company.slug, export_id=export.pk)
    content = report_file(
        TableReport(report.title, report.period, report.columns, head), fmt=fmt, company=company
    )
    return download(content, CONTENT_TYPES[fmt], f"{report.title.lower().replace(' ', '-')}.{fmt}")


def _render(request, company, kind: str, template: str, context: dict, form: ReportForm):
    params = form.params()
    if request.GET.get("formato") in CONTENT_TYPES:
        return _file(request, company, kind, params)
    context |= {"company": company, "form": form, "params": params, "kind": kind}
    if request.GET.get("imprimir"):
        return render(request, "books/reports/print.html", {**context, "table_template": template})
    return render(request, "books/reports/page.html", {**context, "table_template": template})


@company_view("GET")
def report_trial_balance(request, company):
    """Balance de prueba (and por tercero): every figure links to the lines behind it."""
    form = ReportForm(request.GET or None)
    params = form.params()
    rows = [] if request.GET.get("formato") else trial_balance_rows(params)
    totals = {
        key: sum(getattr(row, key) for row in rows) for key in ("opening", "debit", "credit", "closing")
    }
    context = {
        "rows": rows,
        "totals": totals,
        "title": _("Trial balance"),
        "filters": [
            "desde",
            "hasta",
            "nivel",
            "cuenta_desde",
            "cuenta_hasta",
            "tercero",
            "centro",
            "ceros",
            "por_tercero",
        ],
    }
    return _render(request, company, "trial_balance", "books/reports/trial_balance.html", context, form)


@company_view("GET")
def report_auxiliary(request, company):
    """Libro auxiliar: opening balance, the lines with their running balance, each linked to its entry."""
    form = ReportForm(request.GET or None)
    params = form.params()
    scope = params.scope
    chosen = bool(scope.account_from or scope.third_party or scope.cost_center)
    ledger = None
    if chosen and not request.GET.get("formato"):
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        ledger = auxiliary(start=params.start, end=params.end, scope=scope, page=page)
        paginator = Paginator(range(ledger.count), 100)
        context_page = paginator.get_page(page)
    else:
        context_page = None
    context = {
        "ledger": ledger,
        "page": context_page,
        "chosen": chosen,
        "title": _("Auxiliary ledger"),
        "filters": ["desde", "hasta", "cuenta", "tercero", "centro"],
    }
    return _render(request, company, "auxiliary", "books/reports/auxiliary.html", context, form)


@company_view("GET")
def report_journal(request, company):
    """Libro diario: the comprobantes in date order with their lines, or per day and type; totals per type."""
    form = ReportForm(request.GET or None)
    params = form.params()
    context = {"title": _("Journal"), "filters": ["desde", "hasta", "resumen"]}
    if not request.GET.get("formato"):
        context["totals"] = journal_totals_by_type(start=params.start, end=params.end)
        if params.summary:
            context["days"] = journal_by_day(start=params.start, end=params.end)
        else:
            context["page"] = Paginator(journal_entries(start=params.start, end=params.end), 50).get_page(
                request.GET.get("page")
            )
    return _render(request, company, "journal", "books/reports/journal.html", context, form)


@company_view("GET")
def report_general_ledger(request, company):
    """Libro mayor y balances: each account (cuenta level), month by month."""
    form = ReportForm(request.GET or None)
    params = form.params()
    accounts = [] if request.GET.get("formato") else general_ledger(start=params.start, end=params.end)
    context = {"accounts": accounts, "title": _("General ledger and balances"), "filters": ["desde", "hasta"]}
    return _render(request, company, "general_ledger", "books/reports/general_ledger.html", context, form)


@company_view("GET")
def report_statements(request, company):
    """Estado de situación financiera and de resultados, beside the year before, with the signatures."""
    form = ReportForm(request.GET or None)
    params = form.params()
    result = None if request.GET.get("formato") else statements(start=params.start, end=params.end)
    signatures = BooksSettings.objects.first()
    context = {
        "statements": result,
        "signatures": signatures,
        "title": _("Financial statements"),
        "filters": ["desde", "hasta"],
    }
    return _render(request, company, "statements", "books/reports/statements.html", context, form)


@company_view("GET")
def report_export(request, company, export_id):
    export = get_object_or_404(ReportExport.objects.defer("content"), pk=export_id)
    report_export_resume(export=export, company_id=company.pk)
    template = "books/reports/partials/export_progress.html" if request.htmx else "books/reports/export.html"
    response = render(request, template, {"company": company, "export": export})
    if request.htmx and export.is_finished:
        response["HX-Refresh"] = "true"
    return response


@company_view("GET")
def report_export_download(request, company, export_id):
    export = get_object_or_404(ReportExport, pk=export_id, status=ReportExport.Status.DONE)
    if export.content is None:
        raise Http404
    response = HttpResponse(bytes(export.content), content_type=CONTENT_TYPES.get(export.fmt, CSV))
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


@company_view("GET", "POST")
def signatures(request, company):
    """Who signs the financial statements: the legal representative, the accountant, the statutory auditor."""
    form = SignaturesForm(request.POST or None, instance=BooksSettings.objects.first())
    if request.method == "POST" and form.is_valid():
        signatures_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("The signatures were saved."))
        return redirect("books:report_statements", company_slug=company.slug)
    return render(request, "books/reports/signatures.html", {"company": company, "form": form})
