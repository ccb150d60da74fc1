"""Equipo: roles, removal and assignments (the team page itself, with its invitations, is in invitations)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.responses import redirect_back
from core.text import end_sentence

from .access import workspace_view
from .forms import AssignForm, BulkAssignForm, MemberRoleForm
from .models import CompanyAccess, CompanyAssignment, WorkspaceMember
from .selectors import access_assignments
from .services.team import (
    TeamError,
    assignment_add,
    assignment_remove,
    assignment_set_responsible,
    assignments_add_many,
    team_member_remove,
    team_member_role_change,
)


def _member(workspace, member_id) -> dict:
    return {
        "member": get_object_or_404(
            WorkspaceMember.objects.select_related("user"), pk=member_id, workspace=workspace
        )
    }


def _assignable_access(workspace, access_id) -> dict:
    return {
        "access": get_object_or_404(
            CompanyAccess.objects.select_related("company"),
            pk=access_id,
            workspace=workspace,
            company__isnull=False,
        )
    }


def _assignment(workspace, assignment_id) -> dict:
    return {
        "assignment": get_object_or_404(
            CompanyAssignment.objects.select_related("access", "member__user"),
            pk=assignment_id,
            access__workspace=workspace,
        )
    }


@workspace_view("POST", load=_member, manage=True)
def member_role(request, workspace, member):
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("team:page")
    try:
        member = team_member_role_change(member=member, role=form.cleaned_data["role"])
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            end_sentence(
                _("%(who)s is now %(role)s.")
                % {"who": member.display_name, "role": member.get_role_display()}
            ),
        )
    return redirect("team:page")


@workspace_view("POST", load=_member, manage=True)
def member_remove(request, workspace, member):
    try:
        team_member_remove(member=member)
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(who)s is no longer in the team and can no longer enter its companies.")
            % {"who": member.display_name},
        )
    return redirect("team:page")


@workspace_view("GET", "POST", load=_assignable_access, manage=True)
def access_team(request, workspace, access):
    """Who works on one company: assign a member (as responsable or not), make responsable, take off."""
    form = AssignForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            assignment_add(
                access=access,
                member=form.cleaned_data["member"],
                responsible=form.cleaned_data["responsible"],
            )
        except TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                end_sentence(
                    _("%(who)s works on %(company)s.")
                    % {"who": form.cleaned_data["member"].display_name, "company": access.name}
                ),
            )
            return redirect("team:access", access_id=access.pk)
    context = {"access": access, "assignments": access_assignments(access=access), "form": form}
    return render(request, "firms/access_team.html", context)


@workspace_view("POST", load=_assignment, manage=True)
def assignment_responsible(request, workspace, assignment):
    assignment = assignment_set_responsible(assignment=assignment)
    messages.success(
        request,
        end_sentence(
            _("%(who)s is the responsable for %(company)s.")
            % {"who": assignment.member.display_name, "company": assignment.access.name}
        ),
    )
    return redirect_back(request, "team:access", access_id=assignment.access_id)


@workspace_view("POST", load=_assignment, manage=True)
def assignment_delete(request, workspace, assignment):
    assignment_remove(assignment=assignment)
    messages.success(
        request,
        end_sentence(
            _("%(who)s no longer works on %(company)s.")
            % {"who": assignment.member.display_name, "company": assignment.access.name}
        ),
    )
    return redirect_back(request, "team:access", access_id=assignment.access_id)


@workspace_view("POST", manage=True)
def assign_many(request, workspace):
    """ "Asignar" for the companies selected in the list of linked companies."""
    form = BulkAssignForm(request.POST, workspace=workspace)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect_back(request, "firms:workspace_home")
    member = form.cleaned_data["member"]
    try:
        count = assignments_add_many(
            workspace=workspace,
            access_ids=form.cleaned_data["access"],
            member=member,
            responsible=form.cleaned_data["responsible"],
        )
    except TeamError as error:
        messages.error(request, str(error))
    else:
        if count:
            messages.success(
                request,
                # "Asignaste a …": Spanish would need the person's gender for "quedó asignado/a".
                ngettext(
                    "You assigned %(who)s to %(count)s company.",
                    "You assigned %(who)s to %(count)s companies.",
                    count,
                )
                % {"who": member.display_name, "count": count},
            )
        else:
            messages.error(
                request, _("None of the selected rows is a linked company: requests cannot be assigned.")
            )
    return redirect_back(request, "firms:workspace_home")
