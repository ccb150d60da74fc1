"""Equipo, the team page: members and their roles, invitations waiting for an answer, and the invite form.

Roles, removal and assignments are firms' (firms/team_views.py); this page lists invitations, so it lives
above firms.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.text import end_sentence
from firms.access import workspace_view
from firms.forms import MemberRoleForm
from firms.selectors import team_members

from .forms import TeamInviteForm
from .models import Invitation
from .selectors import team_invitations_pending
from .services.common import InvitationError
from .services.team import team_invitation_resend, team_invitation_revoke, team_invite


@workspace_view("GET", "POST", manage=True)
def team_page(request, workspace):
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team_invite(
                workspace=workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except InvitationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way; the list shows when it is sent.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("team:page")
    context = {
        "members": team_members(workspace=workspace),
        "invitations": team_invitations_pending(workspace=workspace),
        "form": form,
        "role_form": MemberRoleForm(),
        "me": request.workspace_member,
    }
    return render(request, "invitations/team.html", context)


def _invitation(workspace, invitation_id) -> dict:
    return {
        "invitation": get_object_or_404(
            Invitation, pk=invitation_id, workspace=workspace, kind=Invitation.Kind.TEAM
        )
    }


def _invitation_action(request, workspace, invitation, action, success: str):
    try:
        action(workspace=workspace, invitation_id=invitation.pk)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, end_sentence(success % {"email": invitation.email}))
    return redirect("team:page")


@workspace_view("POST", load=_invitation, manage=True)
def team_invitation_resend_view(request, workspace, invitation):
    return _invitation_action(
        request,
        workspace,
        invitation,
        team_invitation_resend,
        _("The invitation to %(email)s is on its way again."),
    )


@workspace_view("POST", load=_invitation, manage=True)
def team_invitation_revoke_view(request, workspace, invitation):
    return _invitation_action(
        request, workspace, invitation, team_invitation_revoke, _("The invitation to %(email)s was revoked.")
    )
