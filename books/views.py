from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from firms.access import company_view

from .forms import AccountCreateForm
from .models import Account
from .selectors import account_ancestors, account_children, account_search
from .services import AccountError, account_create


@company_view("GET")
def account_list(request, company):
    """Chart of accounts: browse level by level (?cuenta=CODE) or search by code or name (?q=)."""
    query = request.GET.get("q", "").strip()[:100]
    parent = None
    if request.GET.get("cuenta"):
        parent = get_object_or_404(Account, code=request.GET["cuenta"])
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


@company_view("GET", "POST")
def account_new(request, company):
    parent = get_object_or_404(Account, code=request.GET.get("padre", ""))
    form = AccountCreateForm(request.POST or None, initial={"code": parent.code})
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(
                parent=parent, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %(code)s was added.") % {"code": account.code})
            url = reverse("books:account_list", kwargs={"company_slug": company.slug})
            return redirect(f"{url}?cuenta={parent.code}")
    return render(request, "books/account_new.html", {"company": company, "form": form, "parent": parent})
