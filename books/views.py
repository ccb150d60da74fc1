"""The books' pages, in the company area (/c/<slug>/...): CompanyAreaMiddleware has checked the access and
set the company's schema; plan consulta's writes are refused by PlanWriteGuardMiddleware."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.l10n import format_date
from core.lists import page_of
from core.responses import CSV, XLSX, download
from core.tables import FileProblem
from core.text import end_sentence
from firms.access import POSTING_REFUSED, company_view, request_can_post

from .forms import (
    AccountCreateForm,
    AccountEditForm,
    AnnulForm,
    CatalogEditForm,
    ClosingForm,
    CostCenterForm,
    EntryFilterForm,
    EntryForm,
    JournalUploadForm,
    LineFormSet,
    LockForm,
    OpeningBalancesForm,
    ReverseForm,
    ThirdPartiesUploadForm,
    ThirdPartyForm,
    UnlockForm,
    VoucherTypeForm,
    line_inputs,
)
from .models import (
    Account,
    BooksSettings,
    CostCenter,
    Entry,
    JournalImport,
    JournalImportEntry,
    PeriodEvent,
    ThirdParty,
    VoucherType,
)
from .selectors import (
    EntryFilters,
    account_ancestors,
    account_children,
    account_search,
    entry_list,
    entry_reversal,
    entry_with_lines,
    third_party_search,
)
from .services.catalogs import (
    cost_center_create,
    cost_center_update,
    third_parties_import,
    third_party_create,
    third_party_set_active,
    third_party_update,
    voucher_type_create,
    voucher_type_update,
)
from .services.chart import AccountError, account_create, account_update
from .services.common import BooksError
from .services.entries import (
    EntryProblem,
    entry_annul,
    entry_copy,
    entry_delete_draft,
    entry_post,
    entry_refusals,
    entry_reverse,
    entry_save_and_post,
    entry_save_draft,
)
from .services.journal import (
    journal_confirm,
    journal_consecutive_moves,
    journal_preview,
    journal_resume,
    journal_summary,
)
from .services.opening import OpeningRefused, opening_balances_post
from .services.periods import period_lock, period_unlock, year_close
from .spreadsheets import journal_report_xlsx, journal_template_csv, journal_template_xlsx, third_parties_xlsx

LOOKUP_LIMIT = 15


def _to(name: str, company, **kwargs):
    return redirect(f"books:{name}", company_slug=company.slug, **kwargs)


def _page(request, queryset, size=None):
    return page_of(request, queryset, size or settings.WORKSPACE_PAGE_SIZE)


# Chart of accounts ------------------------------------------------------------------------------


@company_view("GET")
def account_list(request, company):
    """Chart of accounts: browse level by level (?cuenta=CODE) or search by code or name (?q=)."""
    query = request.GET.get("q", "").strip()[:100]
    parent = None
    if request.GET.get("cuenta"):
        parent = get_object_or_404(Account, code=request.GET["cuenta"][:20])
    context = {
        "company": company,
        "query": query,
        "parent": parent,
        "breadcrumb": account_ancestors(parent) if parent else [],
        "has_accounts": Account.objects.exists(),
    }
    if query:
        context["results"] = list(account_search(query=query))
    else:
        context["accounts"] = list(account_children(parent=parent))
    template = "books/partials/account_rows.html" if request.htmx else "books/account_list.html"
    return render(request, template, context)


@company_view("GET")
def account_lookup(request, company):
    """Movement accounts for the entry form's autocomplete (options of a datalist)."""
    accounts = account_search(query=request.GET.get("q", "")[:50], limit=LOOKUP_LIMIT, movement_only=True)
    options = [(account.code, f"{account.code} {account.name}") for account in accounts]
    return render(request, "books/partials/options.html", {"options": options})


@company_view("GET", "POST")
def account_new(request, company):
    parent = get_object_or_404(Account, code=request.GET.get("padre", "")[:20])
    form = AccountCreateForm(request.POST or None, initial={"code": parent.code, "nature": parent.nature})
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(parent=parent, **form.cleaned_data)
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %(code)s was added.") % {"code": account.code})
            url = reverse("books:account_list", kwargs={"company_slug": company.slug})
            return redirect(f"{url}?cuenta={parent.code}")
    return render(request, "books/account_new.html", {"company": company, "form": form, "parent": parent})


@company_view("GET", "POST")
def account_edit(request, company, code):
    account = get_object_or_404(Account, code=code)
    form = AccountEditForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            account_update(account=account, **form.cleaned_data)
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %(code)s was saved.") % {"code": account.code})
            url = reverse("books:account_list", kwargs={"company_slug": company.slug})
            return redirect(f"{url}?cuenta={account.parent_id or ''}")
    return render(request, "books/account_edit.html", {"company": company, "form": form, "account": account})


# Terceros ---------------------------------------------------------------------------------------


@company_view("GET")
def third_party_list(request, company):
    query = request.GET.get("q", "").strip()[:100]
    third_parties = (
        third_party_search(query=query)
        if query
        else ThirdParty.objects.order_by("business_name", "last_names", "first_names", "id")
    )
    context = {"company": company, "query": query, "page": _page(request, third_parties)}
    template = "books/partials/third_party_rows.html" if request.htmx else "books/third_party_list.html"
    return render(request, template, context)


@company_view("GET")
def third_party_lookup(request, company):
    third_parties = third_party_search(query=request.GET.get("q", "")[:50], active_only=True)[:LOOKUP_LIMIT]
    options = [(t.number, f"{t.display_number} {t.display_name}") for t in third_parties]
    return render(request, "books/partials/options.html", {"options": options})


@company_view("GET", "POST")
def third_party_new(request, company):
    form = ThirdPartyForm(request.POST or None, initial={"person_type": "juridica", "document_type": "nit"})
    if request.method == "POST" and form.is_valid():
        try:
            third_party = third_party_create(**form.cleaned_data)
        except BooksError as exc:
            form.add_error("number", str(exc))
        else:
            messages.success(
                request, end_sentence(_("%(name)s was added.") % {"name": third_party.display_name})
            )
            return _to("third_party_list", company)
    return render(request, "books/third_party_form.html", {"company": company, "form": form})


@company_view("GET", "POST")
def third_party_edit(request, company, third_party_id):
    third_party = get_object_or_404(ThirdParty, pk=third_party_id)
    form = ThirdPartyForm(request.POST or None, instance=third_party)
    if request.method == "POST":
        if request.POST.get("action") in ("activate", "deactivate"):
            third_party_set_active(third_party=third_party, active=request.POST["action"] == "activate")
            messages.success(
                request, end_sentence(_("%(name)s was saved.") % {"name": third_party.display_name})
            )
            return _to("third_party_list", company)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("document_type", "number")}
                third_party_update(third_party=third_party, **data)
            except BooksError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, end_sentence(_("%(name)s was saved.") % {"name": third_party.display_name})
                )
                return _to("third_party_list", company)
    context = {"company": company, "form": form, "third_party": third_party}
    return render(request, "books/third_party_form.html", context)


# Cost centers and voucher types -----------------------------------------------------------------


def _catalog_page(request, company, *, model, create_form, create, template, list_name):
    form = create_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = create(**form.cleaned_data)
        except BooksError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, end_sentence(_("%(item)s was added.") % {"item": item}))
            return _to(list_name, company)
    return render(
        request, template, {"company": company, "form": form, "items": model.objects.order_by("code")}
    )


def _catalog_edit(request, company, item, *, update, template, list_name):
    form = CatalogEditForm(request.POST or None, initial={"name": item.name, "is_active": item.is_active})
    if request.method == "POST" and form.is_valid():
        update(item, **form.cleaned_data)
        messages.success(request, end_sentence(_("%(item)s was saved.") % {"item": item}))
        return _to(list_name, company)
    list_url = reverse(f"books:{list_name}", kwargs={"company_slug": company.slug})
    return render(request, template, {"company": company, "form": form, "item": item, "list_url": list_url})


@company_view("GET", "POST")
def cost_center_list(request, company):
    return _catalog_page(
        request,
        company,
        model=CostCenter,
        create_form=CostCenterForm,
        create=cost_center_create,
        template="books/cost_center_list.html",
        list_name="cost_center_list",
    )


@company_view("GET", "POST")
def cost_center_edit(request, company, cost_center_id):
    return _catalog_edit(
        request,
        company,
        get_object_or_404(CostCenter, pk=cost_center_id),
        update=lambda item, **data: cost_center_update(cost_center=item, **data),
        template="books/catalog_edit.html",
        list_name="cost_center_list",
    )


@company_view("GET", "POST")
def voucher_type_list(request, company):
    return _catalog_page(
        request,
        company,
        model=VoucherType,
        create_form=VoucherTypeForm,
        create=voucher_type_create,
        template="books/voucher_type_list.html",
        list_name="voucher_type_list",
    )


@company_view("GET", "POST")
def voucher_type_edit(request, company, voucher_type_id):
    return _catalog_edit(
        request,
        company,
        get_object_or_404(VoucherType, pk=voucher_type_id),
        update=lambda item, **data: voucher_type_update(voucher_type=item, **data),
        template="books/catalog_edit.html",
        list_name="voucher_type_list",
    )


# Comprobantes -----------------------------------------------------------------------------------


@company_view("GET")
def entry_list_view(request, company):
    form = EntryFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # a wrong filter is left out (the form says why); the others still apply
        data = form.cleaned_data
    filters = EntryFilters(
        voucher_type=data["tipo"].pk if data.get("tipo") else None,
        number=data.get("numero"),
        start=data.get("desde"),
        end=data.get("hasta"),
        third_party=data.get("tercero", ""),
        account=data.get("cuenta", ""),
        status=data.get("estado", ""),
    )
    context = {"company": company, "form": form, "page": _page(request, entry_list(filters=filters), 50)}
    return render(request, "books/entry_list.html", context)


def _entry_form(request, company, entry: Entry | None):
    """The keyboard-first entry form, new or editing a draft: "Guardar borrador" or "Contabilizar"."""
    if request.method == "POST":
        form = EntryForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        posting = request.POST.get("action") == "post"
        if posting and not request_can_post(request):
            form.add_error(None, POSTING_REFUSED)
        elif form.is_valid() and formset.is_valid():
            lines = line_inputs(formset)
            save = entry_save_and_post if posting else entry_save_draft
            try:
                entry = save(
                    voucher_type=form.cleaned_data["voucher_type"],
                    day=form.cleaned_data["date"],
                    description=form.cleaned_data["description"],
                    lines=lines,
                    user=request.user,
                    entry=entry,
                )
            except EntryProblem as problem:
                for line, text in problem.problems:
                    form.add_error(
                        None,
                        _("Line %(line)s: %(problem)s") % {"line": line, "problem": text} if line else text,
                    )
            except BooksError as exc:
                form.add_error(None, str(exc))
            else:
                if entry.status == Entry.Status.POSTED:
                    messages.success(request, _("%(label)s was posted.") % {"label": entry.label})
                else:
                    messages.success(request, _("The draft was saved."))
                return _to("entry_detail", company, entry_id=entry.pk)
    elif entry is not None:
        form = EntryForm(
            initial={
                "voucher_type": entry.voucher_type_id,
                "date": entry.date,
                "description": entry.description,
            }
        )
        formset = LineFormSet(
            prefix="lines",
            initial=[
                {
                    "account": line.account_id,
                    "third_party": line.third_party.number if line.third_party else "",
                    "cost_center": line.cost_center.code if line.cost_center else "",
                    "description": line.description,
                    "debit": line.debit or "",
                    "credit": line.credit or "",
                }
                for line in entry.lines.select_related("third_party", "cost_center").order_by("line_no")
            ],
        )
    else:
        default_type = VoucherType.objects.filter(code="CC").first()
        form = EntryForm(initial={"voucher_type": default_type, "date": timezone.localdate()})
        formset = LineFormSet(prefix="lines", initial=[{}, {}])
    context = {
        "company": company,
        "form": form,
        "formset": formset,
        "entry": entry,
        "cost_centers": CostCenter.objects.filter(is_active=True).order_by("code"),
    }
    return render(request, "books/entry_form.html", context)


@company_view("GET", "POST")
def entry_new(request, company):
    return _entry_form(request, company, None)


def _entry(entry_id) -> Entry:
    return get_object_or_404(Entry.objects.select_related("voucher_type"), pk=entry_id)


@company_view("GET", "POST")
def entry_edit(request, company, entry_id):
    entry = _entry(entry_id)
    if not entry.is_draft:
        messages.error(request, _("A posted comprobante never changes: annul it or reverse it."))
        return _to("entry_detail", company, entry_id=entry.pk)
    return _entry_form(request, company, entry)


@company_view("GET")
def entry_detail(request, company, entry_id):
    try:
        entry, lines = entry_with_lines(entry_id)
    except Entry.DoesNotExist:
        raise Http404 from None
    annul_refusal, reverse_refusal = (
        entry_refusals(entry) if entry.status == Entry.Status.POSTED else (None, None)
    )
    context = {
        "company": company,
        "entry": entry,
        "lines": lines,
        "debits": sum(line.debit for line in lines),
        "credits": sum(line.credit for line in lines),
        "reversal": entry_reversal(entry),
        # Only what can be done is offered (the services refuse the rest anyway).
        "can_annul": entry.status == Entry.Status.POSTED and annul_refusal is None,
        "can_reverse": entry.status == Entry.Status.POSTED and reverse_refusal is None,
        "annul_refusal": annul_refusal,
        "annul_form": AnnulForm(),
        "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "books/entry_detail.html", context)


def _entry_action(request, company, entry_id, action, success: str):
    """Post, copy or delete from the comprobante's page; the rule's message when it is refused."""
    entry = _entry(entry_id)
    try:
        result = action(entry)
    except BooksError as exc:
        messages.error(request, str(exc))
        return _to("entry_detail", company, entry_id=entry.pk)
    messages.success(request, success % {"label": (result or entry).label})
    if result is None:
        return _to("entry_list", company)
    return _to("entry_detail", company, entry_id=result.pk)


@company_view("POST", posting=True)
def entry_post_view(request, company, entry_id):
    return _entry_action(
        request,
        company,
        entry_id,
        lambda e: entry_post(entry=e, user=request.user),
        _("%(label)s was posted."),
    )


@company_view("POST")
def entry_copy_view(request, company, entry_id):
    return _entry_action(
        request,
        company,
        entry_id,
        lambda e: entry_copy(entry=e, user=request.user),
        _("A copy was made as a new draft; change what you need and post it."),
    )


@company_view("POST")
def entry_delete_view(request, company, entry_id):
    return _entry_action(
        request,
        company,
        entry_id,
        lambda e: entry_delete_draft(entry=e, user=request.user),
        _("The draft was deleted."),
    )


@company_view("POST", posting=True)
def entry_annul_view(request, company, entry_id):
    form = AnnulForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _entry_action(
        request,
        company,
        entry_id,
        lambda e: entry_annul(entry=e, user=request.user, reason=reason),
        _("%(label)s was annulled: its number stays and its effect is gone."),
    )


@company_view("POST", posting=True)
def entry_reverse_view(request, company, entry_id):
    form = ReverseForm(request.POST)
    if not form.is_valid():
        dated = bool(request.POST.get("date"))
        for error in [e for errors in form.errors.values() for e in errors] if dated else []:
            messages.error(request, error)
        if not dated:
            messages.error(request, _("Choose the date of the reversal."))
        return _to("entry_detail", company, entry_id=entry_id)
    return _entry_action(
        request,
        company,
        entry_id,
        lambda e: entry_reverse(
            entry=e,
            day=form.cleaned_data["date"],
            user=request.user,
            voucher_type=form.cleaned_data["voucher_type"],
            description=form.cleaned_data["description"],
        ),
        _("%(label)s reverses the comprobante."),
    )


# Periods ----------------------------------------------------------------------------------------


@company_view("GET", "POST", posting=True)
def periods(request, company):
    """Bloquear hasta, desbloquear (recorded, with a reason) and the year-end closing."""
    lock_form, unlock_form, closing_form = (
        LockForm(),
        UnlockForm(),
        ClosingForm(initial={"year": timezone.localdate().year - 1}),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form = {"lock": LockForm, "unlock": UnlockForm, "close": ClosingForm}.get(action, LockForm)(
            request.POST
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "lock":
                    period_lock(until=data["until"], user=request.user)
                    messages.success(
                        request,
                        _("The books are locked up to %(date)s.") % {"date": format_date(data["until"])},
                    )
                elif action == "unlock":
                    period_unlock(until=data["until"], reason=data["reason"], user=request.user)
                    messages.success(request, _("The period was opened again."))
                elif action == "close":
                    entry = year_close(year=data["year"], user=request.user)
                    messages.success(
                        request,
                        _("%(year)s was closed with %(label)s.")
                        % {"year": data["year"], "label": entry.label},
                    )
                    return _to("entry_detail", company, entry_id=entry.pk)
                return _to("periods", company)
            except BooksError as exc:
                form.add_error(None, str(exc))
        lock_form, unlock_form, closing_form = (
            form if action == "lock" else lock_form,
            form if action == "unlock" else unlock_form,
            form if action == "close" else closing_form,
        )
    context = {
        "company": company,
        "lock_date": BooksSettings.objects.values_list("lock_date", flat=True).first(),
        "lock_form": lock_form,
        "unlock_form": unlock_form,
        "closing_form": closing_form,
        "events": PeriodEvent.objects.all()[:50],
    }
    return render(request, "books/periods.html", context)


# Imports ----------------------------------------------------------------------------------------


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
            return _to("journal_job", company, import_id=job.pk)
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
    return _to("journal_job", company, import_id=job.pk)


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


@company_view("GET", "POST", posting=True)
def opening_balances(request, company):
    """Saldos iniciales: a file of balances becomes one SI comprobante, balanced, or refused with why."""
    form = OpeningBalancesForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            entry = opening_balances_post(
                file_name=upload.name,
                data=upload.read(),
                day=form.cleaned_data["date"],
                user=request.user,
                description=form.cleaned_data["description"],
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
        except OpeningRefused as refused:
            problems = refused.messages
        else:
            messages.success(
                request, _("The opening balances were posted as %(label)s.") % {"label": entry.label}
            )
            return _to("entry_detail", company, entry_id=entry.pk)
    context = {"company": company, "form": form, "problems": problems}
    return render(request, "books/opening_balances.html", context)


@company_view("GET")
def third_parties_export(request, company):
    return download(third_parties_xlsx(), XLSX, "terceros.xlsx")


@company_view("GET", "POST")
def third_parties_upload(request, company):
    form = ThirdPartiesUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = third_parties_import(file_name=upload.name, data=upload.read())
        except FileProblem as problem:
            form.add_error("file", str(problem))
    return render(
        request, "books/third_parties_upload.html", {"company": company, "form": form, "result": result}
    )
