"""Terceros (and their file), cost centers and voucher types."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.responses import XLSX, download
from core.tables import FileProblem
from core.text import end_sentence
from firms.access import company_view

from ..forms import (
    CatalogEditForm,
    CostCenterForm,
    ThirdPartiesUploadForm,
    ThirdPartyForm,
    VoucherTypeForm,
)
from ..models import (
    CostCenter,
    ThirdParty,
    VoucherType,
)
from ..selectors import (
    third_party_search,
)
from ..services.catalogs import (
    cost_center_create,
    cost_center_update,
    third_parties_import,
    third_party_create,
    third_party_set_active,
    third_party_update,
    voucher_type_create,
    voucher_type_update,
)
from ..services.common import BooksError
from ..spreadsheets import third_parties_xlsx
from .common import LOOKUP_LIMIT, list_page, redirect_to


@company_view("GET")
def third_party_list(request, company):
    query = request.GET.get("q", "").strip()[:100]
    third_parties = (
        third_party_search(query=query)
        if query
        else ThirdParty.objects.order_by("business_name", "last_names", "first_names", "id")
    )
    context = {"company": company, "query": query, "page": list_page(request, third_parties)}
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
            return redirect_to("third_party_list", company)
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
            return redirect_to("third_party_list", company)
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
                return redirect_to("third_party_list", company)
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
            return redirect_to(list_name, company)
    return render(
        request, template, {"company": company, "form": form, "items": model.objects.order_by("code")}
    )


def _catalog_edit(request, company, item, *, update, template, list_name):
    form = CatalogEditForm(request.POST or None, initial={"name": item.name, "is_active": item.is_active})
    if request.method == "POST" and form.is_valid():
        update(item, **form.cleaned_data)
        messages.success(request, end_sentence(_("%(item)s was saved.") % {"item": item}))
        return redirect_to(list_name, company)
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
