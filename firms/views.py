from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.services import user_set_board_columns
from core.decorators import plan_guard_exempt
from core.lists import page_of
from core.responses import CSV, XLSX, download, redirect_back

from .access import COMPANY_ADMIN, company_view, workspace_view
from .board import BOARD_COLUMNS, board_csv, board_hidden_columns, board_xlsx
from .exports import activity_xlsx
from .forms import (
    ActivityFilterForm,
    AssignForm,
    BoardColumnsForm,
    CompanyFilterForm,
    CompanyProfileForm,
    WorkspaceSettingsForm,
)
from .middleware import RECENT_SESSION_KEY
from .models import CompanyAccess, CompanyMember
from .selectors import (
    activity_events,
    switcher_companies,
    workspace_company_list,
    workspace_members,
    workspace_notices,
    workspace_people,
)
from .services.common import DomainError
from .services.companies import company_update
from .services.notices import notices_mark_read
from .services.workspaces import workspace_update


def _board(request):
    """The board's form, filters and rows for the request's member (firms.access.member_accesses)."""
    form = CompanyFilterForm(request.GET, responsibles=workspace_members(workspace=request.workspace))
    filters = form.filters()
    return form, filters, workspace_company_list(member=request.workspace_member, filters=filters)


@login_required
@require_GET
def workspace_home(request):
    """Espacio Contador's home, the portfolio board (tablero de clientes): every linked company with its
    figures, alerts and responsable, filters, sorting and pages. A client without a workspace sees the
    companies they are a member of."""
    if request.workspace is None:
        memberships = (
            CompanyMember.objects.filter(user=request.user)
            .select_related("company")
            .order_by("company__name")
        )
        return render(request, "firms/no_workspace.html", {"memberships": memberships})
    form, filters, accesses = _board(request)
    page = page_of(request, accesses, settings.WORKSPACE_PAGE_SIZE)
    manager = request.workspace_member.is_manager
    context = {
        "assign_form": AssignForm(workspace=request.workspace) if manager and not request.htmx else None,
        "form": form,
        "filters": filters,
        "page": page,
        "is_filtered": filters.is_filtered,
        "today": timezone.localdate(),
        "board_columns": BOARD_COLUMNS,
        "hidden_columns": board_hidden_columns(request.user),
    }
    template = "firms/partials/company_table.html" if request.htmx else "firms/workspace_home.html"
    return render(request, template, context)


@workspace_view("GET")
def board_export(request, workspace, fmt):
    """The board as filtered and sorted on the page, every row (no pages), as CSV or XLSX."""
    _form, _filters, accesses = _board(request)
    name = f"tablero-clientes-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        return download(board_csv(accesses), CSV, f"{name}.csv")
    if fmt == "xlsx":
        return download(board_xlsx(accesses), XLSX, f"{name}.xlsx")
    raise Http404


@plan_guard_exempt
@workspace_view("GET", "POST")
def board_columns(request, workspace):
    """The board's column chooser: the user's own setting, kept on their account. The board's form posts
    here (htmx: nothing to swap, the page already hid the columns; without JavaScript: back to the board);
    GET shows the same choice on a page of its own."""
    hidden = board_hidden_columns(request.user)
    form = BoardColumnsForm(
        request.POST or None, initial={"shown": [key for key, _label in BOARD_COLUMNS if key not in hidden]}
    )
    if request.method == "POST" and form.is_valid():
        user_set_board_columns(user=request.user, hidden=form.hidden())
        if request.htmx:
            return HttpResponse(status=204)
        messages.success(request, _("The board shows the columns you chose."))
        return redirect_back(request, "firms:workspace_home")
    return render(request, "firms/board_columns.html", {"form": form})


@workspace_view("GET", "POST", manage=True)
def workspace_settings(request, workspace):
    form = WorkspaceSettingsForm(request.POST or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        workspace_update(
            workspace=workspace, name=form.cleaned_data["name"], country=form.cleaned_data["country"]
        )
        messages.success(request, _("Your workspace was updated."))
        return redirect("firms:workspace_settings")
    return render(request, "firms/workspace_settings.html", {"form": form})


@workspace_view("GET")
def workspace_plan(request, workspace):
    return render(request, "firms/plan.html", {"workspace": workspace, "sales_email": settings.SALES_EMAIL})


@login_required
@require_GET
def company_switcher(request):
    """Top-bar switcher: a list of matches for htmx; without JavaScript, Enter goes to the first match."""
    query = request.GET.get("q", "")[:100]
    companies = switcher_companies(
        user=request.user, query=query, recent_ids=request.session.get(RECENT_SESSION_KEY, [])
    )
    if not request.htmx:
        if companies:
            return redirect(companies[0])
        messages.info(request, _("No company matches “%(query)s”.") % {"query": query})
        return redirect("firms:workspace_home")
    return render(request, "firms/partials/switcher_results.html", {"companies": companies, "query": query})


@company_view("GET")
def company_home(request, company):
    """The company's home: its data."""
    has_owner = CompanyMember.objects.filter(
        company=company, role=CompanyMember.Role.OWNER, user__is_active=True
    ).exists()
    member = request.workspace_member
    # Owners and administrators assign the company's team from here too (one by one).
    team_access_id = (
        CompanyAccess.objects.filter(workspace_id=member.workspace_id, company=company)
        .values_list("pk", flat=True)
        .first()
        if member is not None and member.is_manager
        else None
    )
    context = {
        "company": company,
        "grant": request.company_grant,
        "has_owner": has_owner,
        "team_access_id": team_access_id,
    }
    return render(request, "firms/company_home.html", context)


@company_view("GET", "POST")
def company_profile(request, company):
    """Datos de la empresa: the accountants who work on it and its owners and admins keep it up to date."""
    form = CompanyProfileForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            company_update(company=company, **form.changes())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The company's data was saved."))
            return redirect("company:profile", company_slug=company.slug)
    return render(request, "firms/company_profile.html", {"company": company, "form": form})


@workspace_view("GET")
def notices(request, workspace):
    """Avisos: what clients answered or ended; opening the page marks them read (like an inbox)."""
    page = page_of(request, workspace_notices(user=request.user, workspace=workspace), 50)
    unread = {notice.pk for notice in page if notice.read_at is None}
    if unread:
        notices_mark_read(user=request.user, workspace=workspace)
    return render(request, "firms/notices.html", {"page": page, "unread": unread})


# Registro de actividad -------------------------------------------------------------------------------

ACTIVITY_PAGE_SIZE = 50


def _workspace_activity(request, workspace):
    form = ActivityFilterForm(request.GET, people=workspace_people(workspace=workspace))
    return form, activity_events(workspace=workspace, filters=form.filters())


@workspace_view("GET", manage=True)
def workspace_activity(request, workspace):
    """What the workspace's people did, in its companies and in the workspace, newest first."""
    form, events = _workspace_activity(request, workspace)
    page = page_of(request, events.select_related("actor"), ACTIVITY_PAGE_SIZE)
    return render(request, "firms/activity.html", {"form": form, "page": page, "for_company": None})


@workspace_view("GET", manage=True)
def workspace_activity_export(request, workspace):
    """The filtered log as an XLSX file; with a wrong filter, the log, which says what is wrong."""
    form, events = _workspace_activity(request, workspace)
    if not form.is_valid():
        return redirect(f"{reverse('firms:activity')}?{request.GET.urlencode()}")
    return download(activity_xlsx(events), XLSX, f"actividad-{timezone.localdate():%Y%m%d}.xlsx")


@company_view("GET", only=COMPANY_ADMIN)
def company_activity(request, company):
    """For the company's owners and administrators: what was done in their company, and by whom (its
    accountants included), newest first. Accountants read their own workspace's log instead: this one
    would show them other practices' people."""
    form = ActivityFilterForm(request.GET)
    events = activity_events(company=company, filters=form.filters()).select_related("workspace", "actor")
    page = page_of(request, events, ACTIVITY_PAGE_SIZE)
    return render(request, "firms/activity.html", {"form": form, "page": page, "for_company": company})
