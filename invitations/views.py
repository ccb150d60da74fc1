from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.responses import redirect_back
from core.text import end_sentence
from firms.access import ACCOUNTANT, COMPANY_ADMIN, company_view, workspace_view
from firms.models import CompanyAccess
from firms.services.common import DomainError

from .forms import (
    ActivationForm,
    ClientAddForm,
    ClientCreateForm,
    ClientInviteForm,
    InvitationDeclineForm,
    TeamActivationForm,
)
from .models import Invitation
from .services.answer import (
    LinkState,
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_link_for_token,
    invitation_request_renewal,
    invitation_state,
    link_request_answer,
)
from .services.common import INVALID_LINK, InvalidLink, InvitationError
from .services.create import client_account_create, client_link_request, company_client_invite
from .services.deliver import access_resend
from .services.revoke import access_revoke_by_accountant, access_revoke_by_client

# The accountant ---------------------------------------------------------------------------------


@workspace_view("GET", "POST", manage=True)
def client_add(request, workspace):
    """Clientes → Añadir cliente: a link request to a company that already has an account.

    The page answers the same whether or not a company has the tax ID (see client_link_request).
    """
    form = ClientAddForm(request.POST or None, initial={"country": workspace.country})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client_link_request(
                workspace=workspace,
                name=data["name"],
                country=data["country"],
                tax_id=data["tax_id"],
                invited_by=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            prefill = {
                "name": data["name"],
                "country": data["country"],
                "tax_id": request.POST.get("tax_id", ""),
                "email": data["email"],
            }
            create_url = reverse("clients:create") + "?" + urlencode(prefill)
            return render(
                request, "invitations/client_add_done.html", {"data": data, "create_url": create_url}
            )
    return render(request, "invitations/client_add.html", {"form": form})


@workspace_view("GET", "POST", manage=True)
def client_create(request, workspace):
    """Clientes → Crear empresa para el cliente: a new company and account for a client without one."""
    initial = {key: request.GET.get(key, "") for key in ("name", "tax_id", "email")}
    initial["country"] = request.GET.get("country") or workspace.country
    form = ClientCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            company = client_account_create(
                workspace=workspace,
                invited_by=request.user,
                email=data["email"],
                password=data["password"],
                name=data["name"],
                country=data["country"],
                tax_id=data["tax_id"],
                sector=data["sector"],
                tax_responsibilities=data["tax_responsibilities"],
                person_type=data["person_type"],
                document_type=data["document_type"],
                given_names=data["given_names"],
                surnames=data["surnames"],
            )
        except DomainError as error:
            form.add_error("tax_id", str(error))
        else:
            messages.success(
                request,
                _(
                    "%(company)s was created and you can work on it now. The invitation to %(email)s is "
                    "on its way; your list of companies shows when it is sent."
                )
                % {"company": company.name, "email": data["email"]},
            )
            return redirect(company)
    return render(request, "invitations/client_create.html", {"form": form})


def _access(workspace, access_id) -> dict:
    return {"access": get_object_or_404(CompanyAccess, pk=access_id, workspace=workspace)}


def _access_action(request, access, action, success: str):
    """Resend or revoke from the list, then back to the list. The messages name the company as the
    list shows it (for a request, as the accountant typed it)."""
    try:
        action(access=access)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, end_sentence(success % {"company": access.name}))
    return redirect_back(request, "firms:workspace_home")


@workspace_view("POST", load=_access, manage=True)
def access_resend_view(request, workspace, access):
    success = (
        _("Your request for %(company)s was sent again.")
        if access.is_request
        else _("The invitation for %(company)s is on its way again.")
    )
    return _access_action(request, access, access_resend, success)


@workspace_view("POST", load=_access, manage=True)
def access_revoke_view(request, workspace, access):
    success = (
        _("You withdrew your request for %(company)s.")
        if access.is_request
        else _("The invitation for %(company)s was revoked.")
    )
    return _access_action(request, access, access_revoke_by_accountant, success)


# The recipient ----------------------------------------------------------------------------------


# The pages of links that cannot be used, and their HTTP status.
REFUSED_PAGES = {
    LinkState.EXPIRED: ("invitations/link_expired.html", 410),
    LinkState.USED: ("invitations/link_used.html", 410),
    LinkState.REPLACED: ("invitations/link_replaced.html", 410),
    LinkState.WRONG_ACCOUNT: ("invitations/wrong_account.html", 403),
}


def _link_invalid(request):
    return render(request, "invitations/link_invalid.html", {"error": INVALID_LINK}, status=404)


def invitation_respond(request, token):
    """The page behind the e-mailed link: accept or decline, or activate a new account."""
    try:
        link = invitation_link_for_token(token)
    except InvalidLink:
        return _link_invalid(request)
    invitation = link.invitation
    context = {"invitation": invitation, "token": token}
    state = invitation_state(invitation=invitation, user=request.user, link=link)
    if state in REFUSED_PAGES:
        template, status = REFUSED_PAGES[state]
        return render(request, template, context, status=status)
    if state == LinkState.DEACTIVATED:
        return _link_invalid(request)
    if state == LinkState.ACTIVATE:
        return _activate(request, invitation, context)
    if state == LinkState.LOGIN:
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(request, "invitations/respond_login.html", context)
    decline_form = InvitationDeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                invitation_accept(invitation=invitation, user=request.user)
                return _accepted(request, invitation)
            if request.POST.get("action") == "decline" and decline_form.is_valid():
                invitation_decline(
                    invitation=invitation, user=request.user, reason=decline_form.cleaned_data["reason"]
                )
                return render(request, "invitations/declined.html", context)
        except InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
    context["decline_form"] = decline_form
    return render(request, "invitations/respond.html", context)


def _activate(request, invitation: Invitation, context: dict):
    form_class = TeamActivationForm if invitation.is_team else ActivationForm
    form = form_class(request.POST or None, user=invitation.recipient)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_activate(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data.get("full_name", ""),
            )
        except InvitationError as error:
            form.add_error("password1", str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if invitation.is_team:
                return _joined_team(request, invitation)
            messages.success(
                request,
                _("Your account is active. Welcome to %(company)s!") % {"company": invitation.company.name},
            )
            return redirect(invitation.company)
    context["form"] = form
    return render(request, "invitations/activate.html", context)


def _joined_team(request, invitation: Invitation):
    messages.success(
        request,
        end_sentence(
            _("You are now part of the team of %(workspace)s, as %(role)s.")
            % {"workspace": invitation.workspace.name, "role": invitation.get_role_display()}
        ),
    )
    return redirect("firms:workspace_home")


def _accepted(request, invitation: Invitation):
    if invitation.is_team:
        return _joined_team(request, invitation)
    if invitation.kind == Invitation.Kind.LINK:
        messages.success(
            request,
            end_sentence(
                _("%(workspace)s now has access to %(company)s.")
                % {"workspace": invitation.workspace.name, "company": invitation.company.name}
            ),
        )
        return redirect("company:accountants", company_slug=invitation.company.slug)
    messages.success(
        request,
        end_sentence(_("You are now the owner of %(company)s.") % {"company": invitation.company.name}),
    )
    return redirect(invitation.company)


@require_POST
def invitation_renew(request, token):
    """The "Ask for a new link" button of an expired link's page; any other link says what it is instead."""
    try:
        link = invitation_link_for_token(token)
    except InvalidLink:
        return _link_invalid(request)
    invitation = link.invitation
    context = {"invitation": invitation, "token": token}
    # Anyone holding the link may ask: the state is read as for an anonymous visitor.
    state = invitation_state(invitation=invitation, user=None, link=link)
    if state == LinkState.EXPIRED:
        context["requested"] = invitation_request_renewal(invitation=invitation)
        invitation.refresh_from_db(fields=["renewal_requested_at"])
        return render(request, "invitations/renewal_requested.html", context)
    if state in REFUSED_PAGES:
        template, status = REFUSED_PAGES[state]
        return render(request, template, context, status=status)
    if state == LinkState.DEACTIVATED:
        return _link_invalid(request)
    return redirect("invitations:respond", token=token)  # the link works: its page offers the answer


# The client, in the company area ----------------------------------------------------------------


@company_view("GET", only=COMPANY_ADMIN)
def company_accountants(request, company):
    """Contadores con acceso (owners and admins only): the practices that work on the company, and the
    requests waiting for an answer, which can be accepted or declined here as well as from the e-mail."""
    related = CompanyAccess.objects.select_related("workspace", "invited_by")
    requests = related.filter(matched_company=company, status=CompanyAccess.Status.PENDING).order_by(
        "-requested_at", "-id"
    )
    accesses = related.filter(
        company=company, status__in=[CompanyAccess.Status.ACTIVE, CompanyAccess.Status.REVOKED]
    ).order_by("status", "-status_changed_at", "-id")
    context = {
        "company": company,
        "requests": requests,
        "accesses": accesses,
        "decline_form": InvitationDeclineForm(),
    }
    return render(request, "invitations/company_accountants.html", context)


@company_view("POST", only=COMPANY_ADMIN)
def company_accountant_revoke(request, company, access_id):
    try:
        access = access_revoke_by_client(company=company, access_id=access_id, by=request.user)
    except CompanyAccess.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("%(workspace)s no longer has access to this company.") % {"workspace": access.workspace.name},
    )
    return redirect("company:accountants", company_slug=company.slug)


def _answer_request(request, company, access_id, *, accept: bool):
    """Accept or decline a link request from "Contadores con acceso", then back to that page."""
    form = InvitationDeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if not accept and form.is_valid() else ""
    try:
        access = link_request_answer(
            company=company, access_id=access_id, user=request.user, accept=accept, reason=reason
        )
    except CompanyAccess.DoesNotExist:
        raise Http404 from None
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        names = {"workspace": access.workspace.name, "company": company.name}
        if accept:
            messages.success(request, end_sentence(_("%(workspace)s now has access to %(company)s.") % names))
        else:
            messages.success(
                request, _("You declined the request of %(workspace)s. Nobody got access.") % names
            )
    return redirect("company:accountants", company_slug=company.slug)


@company_view("POST", only=COMPANY_ADMIN)
def company_request_accept(request, company, access_id):
    return _answer_request(request, company, access_id, accept=True)


@company_view("POST", only=COMPANY_ADMIN)
def company_request_decline(request, company, access_id):
    return _answer_request(request, company, access_id, accept=False)


@company_view("GET", "POST", only=ACCOUNTANT, manage=True)
def company_client_invite_view(request, company):
    """Invitar al cliente: the workspace's owner or an administrator gives a login to the client of a company
    that has no owner."""
    grant = request.company_grant
    form = ClientInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company_client_invite(
                company=company,
                workspace=grant.managing_workspace,
                email=form.cleaned_data["email"],
                invited_by=request.user,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way; your list of companies shows when it is sent.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(company)
    return render(request, "invitations/company_client_invite.html", {"company": company, "form": form})
