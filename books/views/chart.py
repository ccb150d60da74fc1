"""The chart of accounts' pages: the list, the lookup of the entry form, new and edited accounts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from firms.access import company_view

from ..forms import (
    AccountCreateForm,
    AccountEditForm,
)
from ..models import (
    Account,
)
from ..selectors import (
    account_ancestors,
    account_children,
    account_search,
)
from ..services.chart import AccountError, account_create, account_update
from .common import LOOKUP_LIMIT


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
