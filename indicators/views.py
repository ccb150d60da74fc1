import calendar as calendar_module
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from accounts.services import user_set_tax_reminders
from core.decorators import plan_guard_exempt
from core.lists import FILTER_DATE_MAX, FILTER_DATE_MIN, page_of
from core.responses import CSV, XLSX, download, redirect_back
from core.urls import absolute_url
from firms.access import company_view, workspace_view

from .exports import due_dates_csv, due_dates_ics, due_dates_xlsx
from .forms import (
    CalendarFilterForm,
    FilingForm,
    NitCheckDigitForm,
    ReminderPreferenceForm,
    ResourceFilterForm,
)
from .models import CalendarFeed, TaxObligation
from .selectors import (
    benefits_for,
    calendar_feed_user,
    calendar_window,
    companies_without_responsibilities,
    company_filings,
    company_obligations,
    due_dates_for,
    obligation_name,
    resources_for,
    upcoming_only,
    user_calendar_companies,
    workspace_calendar_companies,
)
from .services import calendar_feed_renew, calendar_feed_revoke, obligation_mark_filed, resource_mark_read

PAGE_SIZE = 100
# The built-in tools an indicator of kind "tool" can open (Resource.tool).
TOOLS = {"nit_dv": "resources:nit_check_digit"}


def _grouped(due_dates):
    """[(title, [due dates])]: the overdue first, then one group per date."""
    groups: list[tuple[str, list]] = []
    overdue = [d for d in due_dates if d.overdue]
    if overdue:
        groups.append((_("Overdue"), overdue))
    for due in (d for d in due_dates if not d.overdue):
        if not groups or groups[-1][1][0].overdue or groups[-1][1][0].due_date != due.due_date:
            groups.append((due.due_date, []))
        groups[-1][1].append(due)
    return groups


# Indicators and benefits ------------------------------------------------------------------------


@workspace_view("GET")
def resources_list(request, workspace):
    form = ResourceFilterForm(request.GET)
    kind = form.cleaned_data["tipo"] if form.is_valid() else ""
    resources = resources_for(workspace=workspace, user=request.user, kind=kind)
    return render(request, "indicators/resources.html", {"form": form, "resources": resources})


@workspace_view("GET")
def resource_open(request, workspace, resource_id):
    resource = get_object_or_404(resources_for(workspace=workspace, user=request.user), pk=resource_id)
    resource_mark_read(resource=resource, user=request.user)
    if resource.tool:
        return redirect(TOOLS[resource.tool])
    if resource.url:
        return redirect(resource.url)
    return render(request, "indicators/resource.html", {"resource": resource})


@workspace_view("GET")
def nit_check_digit(request, workspace):
    """Herramientas → Calculadora del DV: the check digit (DV) of a Colombian NIT, and whether a typed
    NIT with its DV is right."""
    form = NitCheckDigitForm(request.GET or None)
    return render(request, "indicators/nit_check_digit.html", {"form": form, "result": form.result()})


@workspace_view("GET")
def benefits_list(request, workspace):
    return render(request, "indicators/benefits.html", {"benefits": benefits_for(workspace=workspace)})


# The workspace's tax calendar -------------------------------------------------------------------


def _workspace_due_dates(request, workspace):
    companies = list(workspace_calendar_companies(request.workspace_member))
    # Unbound without parameters, so that the form shows its initial 30 days.
    form = CalendarFilterForm(request.GET or None, companies=companies)
    days = form.value("dias", 30)
    slug = form.value("empresa", "")
    chosen = [c for c in companies if c.slug == slug] if slug else companies
    start, end = calendar_window(days)
    due = upcoming_only(
        due_dates_for(companies=chosen, start=start, end=end, obligation=form.value("obligacion", ""))
    )
    return form, companies, due, days


@workspace_view("GET")
def calendar_list(request, workspace):
    """Calendario tributario: the due dates of every client, overdue first, grouped by date."""
    form, companies, due, days = _workspace_due_dates(request, workspace)
    page = page_of(request, due, PAGE_SIZE)
    context = {
        "form": form,
        "companies": companies,
        "page": page,
        "groups": _grouped(page.object_list),
        "days": days,
        "incomplete": companies_without_responsibilities(companies),
    }
    return render(request, "indicators/calendar.html", context)


@workspace_view("GET")
def calendar_export(request, workspace, fmt):
    _form, _companies, due, _days = _workspace_due_dates(request, workspace)
    if fmt == "csv":
        return download(due_dates_csv(due), CSV, "calendario-tributario.csv")
    if fmt == "xlsx":
        return download(due_dates_xlsx(due), XLSX, "calendario-tributario.xlsx")
    raise Http404


# Months a tax calendar can show (the window of every date filter); another ?mes= (year 1, year 9999) shows
# the current month.
CALENDAR_YEARS = range(FILTER_DATE_MIN.year, FILTER_DATE_MAX.year + 1)


def _month(request) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("mes", "").split("-"))
        if year in CALENDAR_YEARS:
            return date(year, month, 1)
    except (ValueError, TypeError):
        pass
    return timezone.localdate().replace(day=1)


def _month_grid(month: date, due_dates):
    by_day: dict[date, list] = {}
    for due in due_dates:
        by_day.setdefault(due.due_date, []).append(due)
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[(day, day.month == month.month, by_day.get(day, [])) for day in week] for week in weeks]


def _month_links(month: date) -> dict:
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    weekdays = [WEEKDAYS_ABBR[day] for day in range(7)]
    return {
        "month": month,
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "weekdays": weekdays,
    }


@workspace_view("GET")
def calendar_month(request, workspace):
    month = _month(request)
    last = month.replace(day=calendar_module.monthrange(month.year, month.month)[1])
    due = due_dates_for(
        companies=workspace_calendar_companies(request.workspace_member), start=month, end=last
    )
    return render(
        request, "indicators/calendar_month.html", {"weeks": _month_grid(month, due), **_month_links(month)}
    )


@plan_guard_exempt
@workspace_view("GET", "POST")
def calendar_subscription(request, workspace):
    """The private ICS address (shown once when made; it can be replaced or revoked) and the reminders."""
    feed_url = None
    preference = ReminderPreferenceForm(initial={"tax_reminders": request.user.tax_reminders})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            token = calendar_feed_renew(user=request.user)
            feed_url = absolute_url(reverse("calendar_feed", kwargs={"token": token}))
        elif action == "revoke":
            calendar_feed_revoke(user=request.user)
            messages.success(request, _("The private calendar address was revoked: it no longer works."))
            return redirect("tax:subscription")
        elif action == "reminders":
            preference = ReminderPreferenceForm(request.POST)
            if preference.is_valid():
                user_set_tax_reminders(user=request.user, enabled=preference.cleaned_data["tax_reminders"])
                messages.success(request, _("Your reminder preference was saved."))
                return redirect("tax:subscription")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "indicators/subscription.html",
        {"feed": feed, "feed_url": feed_url, "preference": preference},
    )


def calendar_feed(request, token):
    """The private ICS feed: the token in the address is the credential."""
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    due = due_dates_for(
        companies=user_calendar_companies(user),
        start=today - timedelta(days=31),
        end=today + timedelta(days=366),
    )
    with translation.override(user.language):  # calendar apps fetch it without a cookie: the owner's language
        content = due_dates_ics(due)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendario-tributario.ics"'
    return response


# One company's calendar, in its area -----------------------------------------------------------


@company_view("GET")
def company_calendar(request, company):
    """One company's due dates (from "Datos de la empresa": RUT responsibilities, IVA periodicity, person
    type), its month, and the obligations marked as filed."""
    filters = CalendarFilterForm(request.GET or None)
    start, end = calendar_window(filters.value("dias", 90))
    due = upcoming_only(
        due_dates_for(companies=[company], start=start, end=end, obligation=filters.value("obligacion", ""))
    )
    month = _month(request)
    last = month.replace(day=calendar_module.monthrange(month.year, month.month)[1])
    month_due = due_dates_for(companies=[company], start=month, end=last)
    context = {
        "company": company,
        "filters": filters,
        "groups": _grouped(due),
        "weeks": _month_grid(month, month_due),
        "obligations": company_obligations(company, list(TaxObligation.objects.filter(active=True))),
        "filings": company_filings(company),
        **_month_links(month),
    }
    return render(request, "indicators/company_calendar.html", context)


@company_view("POST")
def company_filing(request, company):
    """Mark an obligation's period as filed, or undo it (the list and the calendar pages post here)."""
    form = FilingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        obligation_mark_filed(
            company=company,
            obligation=data["obligation"],
            period=data["period"],
            user=request.user,
            filed=data["filed"],
        )
        name = obligation_name(data["obligation"])
        message = (
            _("Marked as filed: %(obligation)s, period %(period)s.")
            if data["filed"]
            else _("No longer marked as filed: %(obligation)s, period %(period)s.")
        )
        messages.success(request, message % {"obligation": name, "period": data["period"]})
    return redirect_back(request, "company:calendar", company_slug=company.slug)
