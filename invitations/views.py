from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountant_portal.responses import redirect_back
from firms.access import workspace_for_request
from firms.models import CompanyAccess, CompanyMember
from firms.services import DomainError

from .forms import ActivationForm, ClientAddForm, ClientCreateForm, ClientInviteForm, InvitationDeclineForm
from .models import Invitation
from .services import (
    InvalidLink,
    InvitationError,
    LinkRequest,
    access_resend,
    access_revoke_invitations,
    client_account_create,
    client_link_request,
    company_access_revoke,
    company_client_invite,
    invitation_accept,
    invitation_activate,
    invitation_decline,
    invitation_for_token,
    invitation_request_renewal,
)

# The accountant ---------------------------------------------------------------------------------


@login_required
def client_add(request):
    """Clientes → Añadir cliente: a link request to a company that already has an account."""
    workspace = workspace_for_request(request)
    form = ClientAddForm(request.POST or None, initial={"country": workspace.country})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = client_link_request(
            workspace=workspace, country=data["country"], tax_id=data["tax_id"], invited_by=request.user
        )
        if outcome == LinkRequest.ALREADY_LINKED:
            form.add_error(None, _("This company is already linked to your workspace."))
        elif outcome == LinkRequest.ALREADY_PENDING:
            form.add_error(
                None, _("You already sent a request to this company; it is waiting for an answer.")
            )
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


@login_required
def client_create(request):
    """Clientes → Crear empresa para el cliente: a new company and account for a client without one."""
    workspace = workspace_for_request(request)
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
            )
        except DomainError as error:
            form.add_error("tax_id", str(error))
        else:
            messages.success(
                request,
                _("%(company)s was created and you can work on it now. The invitation went to %(email)s.")
                % {"company": company.name, "email": data["email"]},
            )
            return redirect(company)
    return render(request, "invitations/client_create.html", {"form": form})


def _workspace_access(request, access_id) -> CompanyAccess:
    # Checked before the method, so that an outsider gets 404 whatever the method.
    return get_object_or_404(
        CompanyAccess.objects.select_related("company", "workspace"),
        pk=access_id,
        workspace=workspace_for_request(request),
    )


def _access_action(request, access_id, action, success: str):
    """Resend or revoke from the list: the access must be the workspace's (404 first), then POST only."""
    access = _workspace_access(request, access_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action(access=access)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success % {"company": access.company.name})
    return redirect_back(request, "firms:workspace_home")


@login_required
def access_resend_view(request, access_id):
    return _access_action(
        request, access_id, access_resend, _("The invitation for %(company)s is on its way again.")
    )


@login_required
def access_revoke_view(request, access_id):
    return _access_action(
        request, access_id, access_revoke_invitations, _("The invitation for %(company)s was revoked.")
    )


# The recipient ----------------------------------------------------------------------------------


def invitation_respond(request, token):
    """The page behind the e-mailed link: accept or decline, or activate a new account."""
    try:
        invitation = invitation_for_token(token)
    except InvalidLink as error:
        return render(request, "invitations/link_invalid.html", {"error": error}, status=404)
    context = {"invitation": invitation, "token": token}
    if invitation.is_expired:
        return render(request, "invitations/link_expired.html", context, status=410)
    if not invitation.is_open:
        return render(request, "invitations/link_used.html", context, status=410)
    recipient = invitation.recipient
    if request.user.is_authenticated and request.user.pk != recipient.pk:
        return render(request, "invitations/wrong_account.html", context, status=403)
    if not recipient.is_active:
        if invitation.kind != Invitation.Kind.ACTIVATION or not recipient.awaiting_activation:
            # A deactivated account: the link does not switch it back on.
            error = _(
                "This invitation link is not valid. Check that you copied the whole link from the e-mail."
            )
            return render(request, "invitations/link_invalid.html", {"error": error}, status=404)
        return _activate(request, invitation, context)
    if not request.user.is_authenticated:
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
    form = ActivationForm(request.POST or None, user=invitation.recipient)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_activate(invitation=invitation, password=form.cleaned_data["password1"])
        except InvitationError as error:
            form.add_error("password1", str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your account is active. Welcome to %(company)s!") % {"company": invitation.company.name},
            )
            return redirect(invitation.company)
    context["form"] = form
    return render(request, "invitations/activate.html", context)


def _accepted(request, invitation: Invitation):
    if invitation.kind == Invitation.Kind.LINK:
        messages.success(
            request,
            _("%(workspace)s now has access to %(company)s.")
            % {"workspace": invitation.workspace.name, "company": invitation.company.name},
        )
        return redirect("company:accountants", company_slug=invitation.company.slug)
    messages.success(
        request, _("You are now the owner of %(company)s.") % {"company": invitation.company.name}
    )
    return redirect(invitation.company)


@require_POST
def invitation_renew(request, token):
    try:
        invitation = invitation_for_token(token)
    except InvalidLink as error:
        return render(request, "invitations/link_invalid.html", {"error": error}, status=404)
    invitation_request_renewal(invitation=invitation)
    return render(request, "invitations/renewal_requested.html", {"invitation": invitation})


# The client, in the company area ----------------------------------------------------------------


def _require_company_admin(request) -> None:
    grant = request.company_grant
    if grant.member_role not in (CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN):
        raise Http404


def company_accountants(request, company_slug):
    """Contadores con acceso: the workspaces that can enter this company (owners and admins only)."""
    _require_company_admin(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    accesses = (
        CompanyAccess.objects.filter(company=request.company)
        .exclude(status=CompanyAccess.Status.DECLINED)
        .select_related("workspace", "invited_by")
        .order_by("status", "-status_changed_at")
    )
    return render(
        request, "invitations/company_accountants.html", {"company": request.company, "accesses": accesses}
    )


def company_accountant_revoke(request, company_slug, access_id):
    _require_company_admin(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        access = company_access_revoke(company=request.company, access_id=access_id, by=request.user)
    except CompanyAccess.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("%(workspace)s no longer has access to this company.") % {"workspace": access.workspace.name},
    )
    return redirect("company:accountants", company_slug=company_slug)


def company_client_invite_view(request, company_slug):
    """Invitar al cliente: the accountant gives a login to the client of a company that has no owner."""
    grant = request.company_grant
    if not grant.workspaces:
        raise Http404
    form = ClientInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company_client_invite(
                company=request.company,
                workspace=grant.workspaces[0],
                email=form.cleaned_data["email"],
                invited_by=request.user,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The invitation went to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(request.company)
    return render(
        request, "invitations/company_client_invite.html", {"company": request.company, "form": form}
    )
