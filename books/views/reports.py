"""The reports' pages (Informes): each on screen, as XLSX and CSV (?formato=), and as a print view
(?imprimir=1) of the whole period, however long (the ledgers' print views are streamed). A file larger than
INLINE_ROWS rows is written by a Celery job that shows its progress."""

from itertools import islice

from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.lists import page_of
from core.responses import CSV, XLSX, download
from firms.access import company_view

from ..forms import ReportForm, SignaturesForm
from ..models import BooksSettings, ReportExport
from ..reports.exports import INLINE_ROWS, TableReport, report_file, report_file_name
from ..reports.jobs import report_export_queue, report_export_resume
from ..reports.ledgers import (
    Auxiliary,
    auxiliary,
    auxiliary_groups,
    auxiliary_items,
    auxiliary_lines,
    general_ledger,
    journal_by_day,
    journal_entries,
    journal_totals_by_type,
)
from ..reports.statements import statements
from ..reports.tables import TABLES, trial_balance_rows
from ..services.periods import signatures_set

CONTENT_TYPES = {"xlsx": XLSX, "csv": CSV}
PRINT_ROWS = "<!--report-rows-->"  # where a streamed print view's rows go (see _print_stream)
PRINT_CHUNK = 500  # rows (or comprobantes) rendered at a time in a streamed print view


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
    report = TableReport(report.title, report.period, report.columns, head, report.start, report.end)
    content = report_file(report, fmt=fmt, company=company)
    return download(content, CONTENT_TYPES[fmt], report_file_name(report, company=company, fmt=fmt))


def _wants(request) -> str:
    """What the request asks for: a file (its format), the print view, or the page."""
    fmt = request.GET.get("formato")
    if fmt in CONTENT_TYPES:
        return fmt
    return "print" if request.GET.get("imprimir") else "page"


def _refused_filters(request, form: ReportForm):
    """A file or a print view of filters that are wrong (a date outside 1900–2100, a start after the end):
    the page, which says what is wrong, rather than a file of other dates than the ones asked for."""
    if _wants(request) == "page" or not form.is_bound or form.is_valid():
        return None
    query = request.GET.copy()
    query.pop("formato", None)
    query.pop("imprimir", None)
    return redirect(f"{request.path}?{query.urlencode()}")


def _print_stream(request, context: dict, rows_template: str, chunks):
    """The print view of a report of any length, streamed: the page around the rows, then the rows a chunk at
    a time (`chunks` yields lists), each rendered as it is read; so no more than a chunk sits in memory. The
    rows are read after the view has returned: in the company's schema and the request's language."""
    page = render_to_string("books/reports/print.html", {**context, "stream": True}, request)
    head, tail = page.split(PRINT_ROWS)
    rows = get_template(rows_template)
    schema, language = connection.schema_name, translation.get_language()
    base = {"company": context["company"], "params": context["params"], "printing": True}

    def body():
        yield head
        with schema_context(schema), translation.override(language):
            for chunk in chunks:
                yield rows.render({**base, "items": chunk})
        yield tail

    return StreamingHttpResponse(body(), content_type="text/html; charset=utf-8")


def _chunks(iterable, size: int = PRINT_CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _render(request, company, kind: str, template: str, context: dict, form: ReportForm):
    params = form.params()
    if _wants(request) in CONTENT_TYPES:
        return _file(request, company, kind, params)
    context |= {"company": company, "form": form, "params": params, "kind": kind}
    if _wants(request) == "print":
        return render(request, "books/reports/print.html", {**context, "table_template": template})
    return render(request, "books/reports/page.html", {**context, "table_template": template})


@company_view("GET")
def report_trial_balance(request, company):
    """Balance de prueba (and por tercero): every figure links to the lines behind it."""
    form = ReportForm(request.GET or None)
    if refused := _refused_filters(request, form):
        return refused
    params = form.params()
    rows = [] if _wants(request) in CONTENT_TYPES else trial_balance_rows(params)
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
    """Libro auxiliar: per account (and per tercero in it, when asked) the opening balance, the lines with
    their running balance, each linked to its entry, the subtotals and the closing balance."""
    form = ReportForm(request.GET or None)
    if refused := _refused_filters(request, form):
        return refused
    params = form.params()
    scope = params.scope
    chosen = bool(scope.account_from or scope.third_party or scope.cost_center)
    context = {
        "ledger": None,
        "chosen": chosen,
        "title": _("Auxiliary ledger"),
        "filters": ["desde", "hasta", "cuenta", "tercero", "centro", "por_tercero"],
    }
    wants = _wants(request)
    if not chosen or wants in CONTENT_TYPES:
        return _render(request, company, "auxiliary", "books/reports/auxiliary.html", context, form)
    if wants == "print":
        groups, count = auxiliary_groups(
            start=params.start, end=params.end, scope=scope, by_third_party=params.by_third_party
        )
        lines = auxiliary_lines(
            start=params.start,
            end=params.end,
            scope=scope,
            groups=groups,
            by_third_party=params.by_third_party,
        )
        context |= {
            "company": company,
            "params": params,
            "ledger": Auxiliary(groups=groups, by_third_party=params.by_third_party, count=count),
            "table_template": "books/reports/auxiliary.html",
        }
        return _print_stream(
            request,
            context,
            "books/reports/partials/auxiliary_rows.html",
            _chunks(auxiliary_items(groups, lines)),
        )
    context["ledger"] = auxiliary(
        start=params.start,
        end=params.end,
        scope=scope,
        by_third_party=params.by_third_party,
        page=request.GET.get("page"),
    )
    context["page"] = context["ledger"].page
    return _render(request, company, "auxiliary", "books/reports/auxiliary.html", context, form)


@company_view("GET")
def report_journal(request, company):
    """Libro diario: the comprobantes in date order with their lines, or per day and type; totals per type."""
    form = ReportForm(request.GET or None)
    if refused := _refused_filters(request, form):
        return refused
    params = form.params()
    context = {"title": _("Journal"), "filters": ["desde", "hasta", "resumen"]}
    wants = _wants(request)
    if wants in CONTENT_TYPES:
        return _render(request, company, "journal", "books/reports/journal.html", context, form)
    context["totals"] = journal_totals_by_type(start=params.start, end=params.end)
    if params.summary:
        context["days"] = journal_by_day(start=params.start, end=params.end)
    elif wants == "print":
        entries = journal_entries(start=params.start, end=params.end).iterator(chunk_size=PRINT_CHUNK)
        context |= {
            "company": company,
            "params": params,
            "table_template": "books/reports/journal.html",
        }
        return _print_stream(
            request, context, "books/reports/partials/journal_entries.html", _chunks(entries)
        )
    else:
        context["page"] = page_of(request, journal_entries(start=params.start, end=params.end), 50)
    return _render(request, company, "journal", "books/reports/journal.html", context, form)


@company_view("GET")
def report_general_ledger(request, company):
    """Libro mayor y balances: each account (cuenta level), month by month."""
    form = ReportForm(request.GET or None)
    if refused := _refused_filters(request, form):
        return refused
    params = form.params()
    accounts = [] if _wants(request) in CONTENT_TYPES else general_ledger(start=params.start, end=params.end)
    context = {"accounts": accounts, "title": _("General ledger and balances"), "filters": ["desde", "hasta"]}
    return _render(request, company, "general_ledger", "books/reports/general_ledger.html", context, form)


@company_view("GET")
def report_statements(request, company):
    """Estado de situación financiera and de resultados, beside the year before, with the signatures."""
    form = ReportForm(request.GET or None)
    if refused := _refused_filters(request, form):
        return refused
    params = form.params()
    result = None if _wants(request) in CONTENT_TYPES else statements(start=params.start, end=params.end)
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
