"""Lock dates, the year-end closing and the opening balances."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.l10n import format_date
from core.tables import FileProblem
from firms.access import company_view

from ..forms import (
    ClosingForm,
    LockForm,
    OpeningBalancesForm,
    UnlockForm,
)
from ..models import (
    BooksSettings,
    PeriodEvent,
)
from ..services.common import BooksError
from ..services.opening import OpeningRefused, opening_balances_post
from ..services.periods import period_lock, period_unlock, year_close
from .common import redirect_to


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
                    return redirect_to("entry_detail", company, entry_id=entry.pk)
                return redirect_to("periods", company)
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
            return redirect_to("entry_detail", company, entry_id=entry.pk)
    context = {"company": company, "form": form, "problems": problems}
    return render(request, "books/opening_balances.html", context)
