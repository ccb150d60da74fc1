"""The workspace's team ("Equipo"): members, their roles, and which companies each one works on.

Services by use case. Who may call them (the owner and administrators) is checked by the views
(firms.access.workspace_view(manage=True)); the rules about the owner and the workspace are checked here.
Access follows at once: firms.access reads roles and assignments on every request.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import CompanyAccess, CompanyAssignment, Workspace, WorkspaceMember
from .audit import AuditText, audit_record
from .common import DomainError


class TeamError(DomainError):
    """A team or assignment change the rules refuse; the message is for the user."""


def team_member_add(*, workspace: Workspace, user, role: str) -> WorkspaceMember:
    """Someone joins the team with `role` (from an accepted invitation). Raises TeamError when the account
    already works in a workspace: each account works in one."""
    if role not in WorkspaceMember.INVITABLE_ROLES:
        raise TeamError(_("This role cannot be given here."))
    with transaction.atomic():
        # One workspace per account: the account's row makes two acceptances at once (two workspaces'
        # invitations) wait for each other, so the second sees the first.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if WorkspaceMember.objects.filter(workspace=workspace, user=user).exists():
            raise TeamError(_("You are already a member of this team."))
        if WorkspaceMember.objects.filter(user=user).exists():
            raise TeamError(
                _(
                    "This account already works in another accountant's workspace. Ask for the invitation "
                    "to be sent to another e-mail address."
                )
            )
        try:
            with transaction.atomic():
                member = WorkspaceMember.objects.create(workspace=workspace, user=user, role=role)
        except IntegrityError:
            raise TeamError(_("You are already a member of this team.")) from None
        audit_record(
            action="team.member_joined",
            actor=user,
            workspace=workspace,
            target=member,
            object_label=member.display_name,
            summary=AuditText(
                gettext_noop("%(who)s joined the team as %(role)s."),
                who=member.display_name,
                role=WorkspaceMember.Role(member.role).label,
            ),
            after={"role": role},
        )
    return member


def _locked(member: WorkspaceMember) -> WorkspaceMember:
    return WorkspaceMember.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)


def team_member_role_change(*, member: WorkspaceMember, role: str) -> WorkspaceMember:
    """Change a member's role among administrador, contador and auxiliar. The owner's role never changes
    here, and nobody becomes owner."""
    if role not in WorkspaceMember.INVITABLE_ROLES:
        raise TeamError(_("This role cannot be given here."))
    with transaction.atomic():
        member = _locked(member)
        if member.role == WorkspaceMember.Role.OWNER:
            raise TeamError(_("The owner's role does not change."))
        before = member.role
        if before == role:
            return member
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            action="team.role_changed",
            workspace=member.workspace,
            target=member,
            object_label=member.display_name,
            summary=AuditText(
                gettext_noop("%(who)s is now %(role)s."),
                who=member.display_name,
                role=WorkspaceMember.Role(member.role).label,
            ),
            before={"role": before},
            after={"role": role},
        )
    return member


def team_member_remove(*, member: WorkspaceMember) -> None:
    """Take a member out of the team, with their assignments: their next request no longer enters the
    workspace or its companies. The owner cannot be removed."""
    with transaction.atomic():
        member = _locked(member)
        if member.role == WorkspaceMember.Role.OWNER:
            raise TeamError(_("The owner cannot be removed from the team."))
        companies = list(member.assignments.values_list("access__name", flat=True))
        audit_record(
            action="team.member_removed",
            workspace=member.workspace,
            target=member,
            object_label=member.display_name,
            summary=AuditText(gettext_noop("%(who)s was removed from the team."), who=member.display_name),
            before={"role": member.role, "companies": companies[:50]},
        )
        member.delete()


def _check_same_workspace(access: CompanyAccess, member: WorkspaceMember) -> None:
    if access.workspace_id != member.workspace_id:
        raise TeamError(_("This member is not part of the workspace that works on this company."))
    if access.company_id is None:
        raise TeamError(_("A request that was not accepted yet cannot be assigned."))


def _assignment_label(assignment: CompanyAssignment) -> str:
    return f"{assignment.member.display_name} → {assignment.access.name}"


def assignment_add(
    *, access: CompanyAccess, member: WorkspaceMember, responsible: bool = False
) -> CompanyAssignment:
    """Assign a member to a company of the workspace (as its responsable, with `responsible`: the previous
    responsable stays assigned). Assigning again only changes the responsable."""
    _check_same_workspace(access, member)
    with transaction.atomic():
        access = CompanyAccess.objects.select_for_update().get(pk=access.pk)
        assignment, created = CompanyAssignment.objects.select_related(
            "member__user", "access"
        ).get_or_create(access=access, member=member)
        if created:
            audit_record(
                action="assignment.added",
                workspace=access.workspace,
                company=access.company,
                target=assignment,
                object_label=_assignment_label(assignment),
                summary=AuditText(
                    gettext_noop("%(who)s was assigned to %(company)s."),
                    who=member.display_name,
                    company=access.name,
                ),
            )
        if responsible and not assignment.is_responsible:
            assignment = _make_responsible(access, assignment)
    return assignment


def _make_responsible(access: CompanyAccess, assignment: CompanyAssignment) -> CompanyAssignment:
    previous = (
        CompanyAssignment.objects.filter(access=access, is_responsible=True)
        .exclude(pk=assignment.pk)
        .select_related("member__user")
        .first()
    )
    if previous is not None:
        previous.is_responsible = False
        previous.save(update_fields=["is_responsible"])
    assignment.is_responsible = True
    assignment.save(update_fields=["is_responsible"])
    audit_record(
        action="assignment.responsible_changed",
        workspace=access.workspace,
        company=access.company,
        target=assignment,
        object_label=_assignment_label(assignment),
        summary=AuditText(
            gettext_noop("%(who)s is the responsable for %(company)s."),
            who=assignment.member.display_name,
            company=access.name,
        ),
        before={"responsible": previous.member.display_name if previous else None},
        after={"responsible": assignment.member.display_name},
    )
    return assignment


def assignment_set_responsible(*, assignment: CompanyAssignment) -> CompanyAssignment:
    """Make an assigned member the company's responsable (the previous one stays assigned)."""
    with transaction.atomic():
        access = (
            CompanyAccess.objects.select_for_update(of=("self",))
            .select_related("company", "workspace")
            .get(pk=assignment.access_id)
        )
        assignment = CompanyAssignment.objects.select_related("member__user", "access").get(pk=assignment.pk)
        if assignment.is_responsible:
            return assignment
        return _make_responsible(access, assignment)


def assignment_remove(*, assignment: CompanyAssignment) -> None:
    """Take a member off a company: their next request no longer enters it (unless owner or administrator)."""
    with transaction.atomic():
        assignment = (
            CompanyAssignment.objects.select_for_update(of=("self",))
            .select_related("member__user", "access__company", "access__workspace")
            .get(pk=assignment.pk)
        )
        audit_record(
            action="assignment.removed",
            workspace=assignment.access.workspace,
            company=assignment.access.company,
            target=assignment,
            object_label=_assignment_label(assignment),
            summary=AuditText(
                gettext_noop("%(who)s no longer works on %(company)s."),
                who=assignment.member.display_name,
                company=assignment.access.name,
            ),
            before={"responsible": assignment.is_responsible},
        )
        assignment.delete()


def assignments_add_many(
    *, workspace: Workspace, access_ids: list[int], member: WorkspaceMember, responsible: bool = False
) -> int:
    """ "Asignar" for the companies selected in the list: assign the member to each of the workspace's
    companies (requests without company are skipped). Returns how many companies were assigned."""
    if member.workspace_id != workspace.pk:
        raise TeamError(_("This member is not part of the workspace that works on this company."))
    accesses = (
        workspace_assignable_accesses(workspace)
        .filter(pk__in=access_ids)
        .select_related("company", "workspace")
    )
    count = 0
    with transaction.atomic():
        for access in accesses.order_by("pk"):
            assignment_add(access=access, member=member, responsible=responsible)
            count += 1
    return count


def workspace_assignable_accesses(workspace: Workspace) -> QuerySet[CompanyAccess]:
    """The workspace's accesses that have a company: the ones a member can be assigned to."""
    return CompanyAccess.objects.filter(workspace=workspace, company__isnull=False)
