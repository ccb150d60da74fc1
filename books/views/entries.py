"""Comprobantes: the list, the entry form (drafts and posting), a comprobante and its actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from firms.access import POSTING_REFUSED, company_view, request_can_post

from ..forms import (
    AnnulForm,
    EntryFilterForm,
    EntryForm,
    LineFormSet,
    ReverseForm,
    line_inputs,
)
from ..models import (
    CostCenter,
    Entry,
    VoucherType,
)
from ..selectors import (
    EntryFilters,
    entry_list,
    entry_reversal,
    entry_with_lines,
)
from ..services.common import BooksError
from ..services.entries import (
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
from .common import list_page, redirect_to


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
    context = {"company": company, "form": form, "page": list_page(request, entry_list(filters=filters), 50)}
    return render(request, "books/entry_list.html", context)


def _entry_form(request, company, entry: Entry | None):
    """The keyboard-first entry form, new or editing a draft: "Guardar borrador" or "Contabilizar"."""
    if request.method == "POST":
        form = EntryForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        saved = _entry_form_save(request, form, formset, entry)
        if saved is not None:
            return redirect_to("entry_detail", company, entry_id=saved.pk)
    else:
        form, formset = _entry_form_initial(entry)
    context = {
        "company": company,
        "form": form,
        "formset": formset,
        "entry": entry,
        "cost_centers": CostCenter.objects.filter(is_active=True).order_by("code"),
    }
    return render(request, "books/entry_form.html", context)


def _entry_form_save(request, form, formset, entry: Entry | None) -> Entry | None:
    """The posted form saved as a draft or posted, with its message; None (and the form's errors) if not."""
    posting = request.POST.get("action") == "post"
    if posting and not request_can_post(request):
        form.add_error(None, POSTING_REFUSED)
        return None
    if not (form.is_valid() and formset.is_valid()):
        return None
    save = entry_save_and_post if posting else entry_save_draft
    try:
        entry = save(
            voucher_type=form.cleaned_data["voucher_type"],
            day=form.cleaned_data["date"],
            description=form.cleaned_data["description"],
            lines=line_inputs(formset),
            user=request.user,
            entry=entry,
        )
    except EntryProblem as problem:
        for line, text in problem.problems:
            form.add_error(
                None, _("Line %(line)s: %(problem)s") % {"line": line, "problem": text} if line else text
            )
        return None
    except BooksError as exc:
        form.add_error(None, str(exc))
        return None
    if entry.status == Entry.Status.POSTED:
        messages.success(request, _("%(label)s was posted.") % {"label": entry.label})
    else:
        messages.success(request, _("The draft was saved."))
    return entry


def _entry_form_initial(entry: Entry | None):
    """The form and its lines: the draft's, or a new comprobante of type CC dated today with two lines."""
    if entry is None:
        default_type = VoucherType.objects.filter(code="CC").first()
        form = EntryForm(initial={"voucher_type": default_type, "date": timezone.localdate()})
        return form, LineFormSet(prefix="lines", initial=[{}, {}])
    form = EntryForm(
        initial={"voucher_type": entry.voucher_type_id, "date": entry.date, "description": entry.description}
    )
    lines = entry.lines.select_related("third_party", "cost_center").order_by("line_no")
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
            for line in lines
        ],
    )
    return form, formset


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
        return redirect_to("entry_detail", company, entry_id=entry.pk)
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
        return redirect_to("entry_detail", company, entry_id=entry.pk)
    messages.success(request, success % {"label": (result or entry).label})
    if result is None:
        return redirect_to("entry_list", company)
    return redirect_to("entry_detail", company, entry_id=result.pk)


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
        return redirect_to("entry_detail", company, entry_id=entry_id)
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
