"""The one place that decides who sees which workspace and company."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .models import (
    Company,
    CompanyAccess,
    CompanyAssignment,
    CompanyMember,
    Workspace,
    WorkspaceMember,
)


def membership_for_user(user) -> WorkspaceMember | None:
    """The user's place in the workspace they work in: the one they own, else the first they joined."""
    if not user.is_authenticated:
        return None
    membership = (
        WorkspaceMember.objects.filter(user=user)
        .select_related("workspace")
        .annotate(
            owned=Case(
                When(role=WorkspaceMember.Role.OWNER, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("owned", "created_at", "pk")
        .first()
    )
    return membership


def workspace_for_user(user) -> Workspace | None:
    """The workspace the user works in: the one they own, else the first they joined."""
    membership = membership_for_user(user)
    return membership.workspace if membership else None


def _sees_access(user) -> Q:
    """On CompanyAccess: the user is an owner or administrator of its workspace, or assigned to it."""
    managers = WorkspaceMember.objects.filter(
        workspace=OuterRef("workspace"), user=user, role__in=WorkspaceMember.MANAGER_ROLES
    )
    assigned = CompanyAssignment.objects.filter(access=OuterRef("pk"), member__user=user)
    return Q(Exists(managers)) | Q(Exists(assigned))


def member_accesses(member: WorkspaceMember) -> QuerySet[CompanyAccess]:
    """The one rule for the workspace's lists of companies (home, searches, exports, calendars): owners
    and administrators see every access of the workspace, contadores and auxiliares those assigned to them."""
    accesses = CompanyAccess.objects.filter(workspace_id=member.workspace_id)
    if member.is_manager:
        return accesses
    return accesses.filter(Exists(CompanyAssignment.objects.filter(access=OuterRef("pk"), member=member)))


def access_audience(access: CompanyAccess) -> QuerySet[WorkspaceMember]:
    """Who hears about an access (its notices: a client's answer, a revocation): the workspace's active
    members who see it (owners, administrators, those assigned to it) and the one who sent the request. The
    owner first, then by when they joined."""
    return (
        WorkspaceMember.objects.filter(workspace_id=access.workspace_id, user__is_active=True)
        .filter(
            Q(role__in=WorkspaceMember.MANAGER_ROLES)
            | Q(user_id=access.invited_by_id)
            | Q(assignments__access=access)
        )
        .distinct()
        .select_related("user")
        .annotate(owner_first=Case(When(role=WorkspaceMember.Role.OWNER, then=Value(0)), default=Value(1)))
        .order_by("owner_first", "created_at")
    )


def member_companies(member: WorkspaceMember) -> QuerySet[Company]:
    """The companies the member may enter through the workspace (its active accesses they see)."""
    return Company.objects.filter(
        Exists(member_accesses(member).filter(company=OuterRef("pk"), status=CompanyAccess.Status.ACTIVE))
    )


def companies_for_user(user) -> QuerySet[Company]:
    """Every company the user may enter: through an active access of a workspace where they are owner or
    administrator or are assigned to it, or as a member of the company that no workspace of theirs works on
    (see company_grant_for_user)."""
    active = CompanyAccess.objects.filter(company=OuterRef("pk"), status=CompanyAccess.Status.ACTIVE)
    via_workspace = active.filter(_sees_access(user))
    in_a_workspace_on_it = active.filter(workspace__members__user=user)
    via_membership = CompanyMember.objects.filter(company=OuterRef("pk"), user=user)
    return Company.objects.filter(
        Q(Exists(via_workspace)) | (Q(Exists(via_membership)) & ~Q(Exists(in_a_workspace_on_it)))
    )


# Who a company page is for, besides anyone who may enter the company (see company_view).
COMPANY_ADMIN = "company_admin"
ACCOUNTANT = "accountant"


class CompanyGrant:
    """How a user reaches a company: as a member, and/or through workspaces with an active access (with
    their role in each: the roles of `memberships`).

    A member of a workspace that works on the company works in it under the workspace's role and plan, never
    as a member of the company: with `memberships`, `member_role` is not kept (company_grant_for_user also
    leaves it out for a member of such a workspace who is not assigned to the company)."""

    def __init__(
        self,
        company: Company,
        member_role: str | None,
        workspaces: list[Workspace],
        memberships: list[WorkspaceMember] | None = None,
    ):
        self.company = company
        self.memberships = memberships or []
        self.member_role = None if self.memberships else member_role
        self.workspaces = workspaces

    @property
    def is_company_admin(self) -> bool:
        """An owner or administrator of the company itself (a client, not the accountant)."""
        return self.member_role in (CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN)

    @property
    def read_only(self) -> bool:
        """Writes are refused when the user comes only through workspaces that are all in plan consulta."""
        return self.member_role is None and all(ws.is_read_only for ws in self.workspaces)

    @property
    def can_post(self) -> bool:
        """Post, annul, reverse, lock, unlock and close the year: everyone who enters but an auxiliar
        (a member of the company, or a workspace role other than assistant)."""
        return self.member_role is not None or any(m.can_post for m in self.memberships)

    @property
    def managing_workspace(self) -> Workspace | None:
        """The workspace in which the user is owner or administrator, if any: theirs to invite the company's
        client ("Invitar al cliente")."""
        return next((m.workspace for m in self.memberships if m.is_manager), None)


def company_grant_for_user(*, user, slug: str) -> CompanyGrant:
    """The company at `slug` if `user` may enter it; Http404 otherwise (the same for a missing slug).

    Through a workspace: an owner or administrator enters all its active companies, a contador or auxiliar
    those assigned to them (read on every request: a removed assignment closes the company at once).
    As a member of the company only when no workspace of theirs has an active access to it: a member of such
    a workspace works under the workspace's role and plan, whatever company membership they also hold."""
    company = Company.objects.filter(slug=slug).first()
    if company is None or not user.is_authenticated:
        raise Http404
    active = CompanyAccess.objects.filter(
        company=company, status=CompanyAccess.Status.ACTIVE, workspace=OuterRef("workspace")
    )
    assigned = CompanyAssignment.objects.filter(
        member=OuterRef("pk"), access__company=company, access__status=CompanyAccess.Status.ACTIVE
    )
    in_workspaces_on_it = list(
        WorkspaceMember.objects.filter(user=user)
        .filter(Exists(active))
        .annotate(enters=Q(role__in=WorkspaceMember.MANAGER_ROLES) | Q(Exists(assigned)))
        .select_related("workspace")
    )
    memberships = [m for m in in_workspaces_on_it if m.enters]
    member_role = None
    if not in_workspaces_on_it:
        member_role = (
            CompanyMember.objects.filter(company=company, user=user).values_list("role", flat=True).first()
        )
    if member_role is None and not memberships:
        raise Http404
    return CompanyGrant(company, member_role, [m.workspace for m in memberships], memberships)


def revoked_access_for_user(*, user, slug: str) -> CompanyAccess | None:
    """The access a client revoked from the user's workspace, for the company at `slug`: a former
    accountant of the company gets "you no longer have access" instead of a bare 404."""
    if not user.is_authenticated:
        return None
    return (
        CompanyAccess.objects.filter(company__slug=slug, status=CompanyAccess.Status.REVOKED)
        .filter(_sees_access(user))
        .select_related("company", "workspace")
        .order_by("-status_changed_at")
        .first()
    )


def request_read_only(request) -> bool:
    """Plan consulta: whether this request may only read. The one rule of PlanWriteGuardMiddleware (which
    refuses the writes) and of `plan_read_only` in the templates (which hide or disable the controls).

    In a company: read-only when the user comes only through workspaces in plan consulta (a member of the
    company never is). Elsewhere: when the user's workspace is in plan consulta.
    """
    grant = getattr(request, "company_grant", None)
    if grant is not None:
        return grant.read_only
    workspace = getattr(request, "workspace", None)
    return workspace is not None and workspace.is_read_only


def _allowed_methods(methods: tuple[str, ...]) -> tuple[str, ...]:
    return (*methods, "HEAD") if "GET" in methods and "HEAD" not in methods else methods


# Methods that only read: the plan guard and the posting check let them through.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# URL namespaces whose writes are the workspace's or its companies' data, refused in plan consulta
# (PlanWriteGuardMiddleware): firms' own here; the apps above add theirs with plan_guard_namespaces.
GUARDED_NAMESPACES = {"firms"}


def plan_guard_namespaces(*namespaces: str) -> None:
    """Plan consulta refuses the writes of these URL namespaces: called by the app that names them (in its
    ready(); the project's URLconf for the namespaces it puts together)."""
    GUARDED_NAMESPACES.update(namespaces)


# What an auxiliar is told when they try to post (the refusal page and the entry form).
POSTING_REFUSED = _(
    "As an assistant (auxiliar) you save comprobantes as drafts: posting, annulling, reversing, locking "
    "periods and closing the year are for the team's accountants."
)


def _refused(request, template: str):
    """403 with a page (or, for htmx, a partial) that says why and who can do it."""
    if getattr(request, "htmx", False):
        return render(request, f"firms/partials/{template}", status=403)
    return render(request, f"firms/{template}", status=403)


def request_can_post(request) -> bool:
    """Whether the request's user may post, annul, reverse, lock or close the books of its company: everyone
    who enters but an auxiliar (CompanyGrant.can_post); outside a company, nothing holds them back."""
    grant = getattr(request, "company_grant", None)
    return grant.can_post if grant is not None else True


def request_is_company_admin(request) -> bool:
    """An owner or administrator of the request's company itself (CompanyGrant.is_company_admin): its pages
    for the company's own people (COMPANY_ADMIN) are theirs, and so are their links in the menu."""
    grant = getattr(request, "company_grant", None)
    return grant is not None and grant.is_company_admin


def request_can_manage_team(request) -> bool:
    """Owners and administrators manage the team and the assignments, and the workspace's clients."""
    member = getattr(request, "workspace_member", None)
    return member is not None and member.is_manager


def request_can_manage_plan(request) -> bool:
    """The plan is the owner's (administrators do everything else): only they are shown "See plans"."""
    member = getattr(request, "workspace_member", None)
    return member is not None and member.role == WorkspaceMember.Role.OWNER


def workspace_view(*methods: str, load: Callable[..., dict] | None = None, manage: bool = False):
    """Login, then the user's workspace (404 for anyone without one), then the objects of the URL, then
    the allowed methods. The view gets the workspace: `view(request, workspace, **kwargs)`.

    `load(workspace, **url_kwargs)` turns the URL's ids into the workspace's objects (404 for another
    workspace's) and returns the view's keyword arguments. Access comes before the method check, so that
    an outsider gets 404 whatever the method. `manage`: only the owner and administrators (403 for the
    workspace's contadores and auxiliares, who are told who can do it).
    """
    allowed = _allowed_methods(methods)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            workspace = getattr(request, "workspace", None)
            if workspace is None:
                raise Http404
            if load is not None:
                kwargs = load(workspace, **kwargs)
            if manage and not request_can_manage_team(request):
                return _refused(request, "manager_only.html")
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, workspace, *args, **kwargs)

        wrapped.managers_only = manage
        return wrapped

    return decorator


def company_view(*methods: str, only: str = "", posting: bool = False, manage: bool = False):
    """A page of the company area, /c/<slug>/...: CompanyAreaMiddleware has checked the access and set
    the tenant. `only` narrows who may use it (404 for others): COMPANY_ADMIN, the company's own owners
    and administrators; ACCOUNTANT, the workspaces that work on it. Then the allowed methods. `posting`:
    its writes post, annul, reverse, lock or close the books, refused (403) to auxiliares (grant.can_post).
    `manage` (with ACCOUNTANT): only the owner and administrators of a workspace that works on it (403 for
    its contadores and auxiliares, who are told who can do it).
    The view gets the company: `view(request, company, **kwargs)`.
    """
    allowed = _allowed_methods(methods)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, company_slug, **kwargs):
            grant = getattr(request, "company_grant", None)
            if grant is None or grant.company.slug != company_slug:
                raise Http404
            if (only == COMPANY_ADMIN and not grant.is_company_admin) or (
                only == ACCOUNTANT and not grant.workspaces
            ):
                raise Http404
            if manage and grant.managing_workspace is None:
                return _refused(request, "manager_only.html")
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            if posting and request.method not in SAFE_METHODS and not grant.can_post:
                return _refused(request, "posting_refused.html")
            return view(request, grant.company, *args, **kwargs)

        wrapped.posting = posting
        wrapped.managers_only = manage
        return wrapped

    return decorator
