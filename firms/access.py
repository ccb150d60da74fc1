"""The one place that decides who sees which workspace and company."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponseNotAllowed

from .models import Company, CompanyAccess, CompanyMember, Workspace, WorkspaceMember


def workspace_for_user(user) -> Workspace | None:
    """The workspace the user works in: the one they own, else the first they joined."""
    if not user.is_authenticated:
        return None
    membership = (
        WorkspaceMember.objects.filter(user=user)
        .select_related("workspace")
        .order_by("role", "created_at")  # "owner" sorts before "staff"
        .first()
    )
    if membership is None:
        return None
    membership.workspace.viewer_role = membership.role  # the user's role in it (the menu, the log)
    return membership.workspace


def companies_for_user(user) -> QuerySet[Company]:
    """Every company the user may enter: through an active workspace access, or as a member."""
    via_workspace = CompanyAccess.objects.filter(
        company=OuterRef("pk"), status=CompanyAccess.Status.ACTIVE, workspace__members__user=user
    )
    via_membership = CompanyMember.objects.filter(company=OuterRef("pk"), user=user)
    return Company.objects.filter(Q(Exists(via_workspace)) | Q(Exists(via_membership)))


# Who a company page is for, besides anyone who may enter the company (see company_view).
COMPANY_ADMIN = "company_admin"
ACCOUNTANT = "accountant"


class CompanyGrant:
    """How a user reaches a company: as a member, and/or through workspaces with an active access."""

    def __init__(self, company: Company, member_role: str | None, workspaces: list[Workspace]):
        self.company = company
        self.member_role = member_role
        self.workspaces = workspaces

    @property
    def is_company_admin(self) -> bool:
        """An owner or administrator of the company itself (a client, not the accountant)."""
        return self.member_role in (CompanyMember.Role.OWNER, CompanyMember.Role.ADMIN)

    @property
    def read_only(self) -> bool:
        """Writes are refused when the user comes only through workspaces that are all in plan consulta."""
        return self.member_role is None and all(ws.is_read_only for ws in self.workspaces)


def company_grant_for_user(*, user, slug: str) -> CompanyGrant:
    """The company at `slug` if `user` may enter it; Http404 otherwise (the same for a missing slug)."""
    company = Company.objects.filter(slug=slug).first()
    if company is None or not user.is_authenticated:
        raise Http404
    member_role = (
        CompanyMember.objects.filter(company=company, user=user).values_list("role", flat=True).first()
    )
    workspaces = list(
        Workspace.objects.filter(
            members__user=user, accesses__company=company, accesses__status=CompanyAccess.Status.ACTIVE
        ).distinct()
    )
    if member_role is None and not workspaces:
        raise Http404
    return CompanyGrant(company, member_role, workspaces)


def revoked_access_for_user(*, user, slug: str) -> CompanyAccess | None:
    """The access a client revoked from the user's workspace, for the company at `slug`: a former
    accountant of the company gets "you no longer have access" instead of a bare 404."""
    if not user.is_authenticated:
        return None
    return (
        CompanyAccess.objects.filter(
            company__slug=slug, status=CompanyAccess.Status.REVOKED, workspace__members__user=user
        )
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


def workspace_view(*methods: str, load: Callable[..., dict] | None = None):
    """Login, then the user's workspace (404 for anyone without one), then the objects of the URL, then
    the allowed methods. The view gets the workspace: `view(request, workspace, **kwargs)`.

    `load(workspace, **url_kwargs)` turns the URL's ids into the workspace's objects (404 for another
    workspace's) and returns the view's keyword arguments. Access comes before the method check, so that
    an outsider gets 404 whatever the method.
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
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, workspace, *args, **kwargs)

        return wrapped

    return decorator


def company_view(*methods: str, only: str = ""):
    """A page of the company area, /c/<slug>/...: CompanyAreaMiddleware has checked the access and set
    the tenant. `only` narrows who may use it (404 for others): COMPANY_ADMIN, the company's own owners
    and administrators; ACCOUNTANT, the workspaces that work on it. Then the allowed methods. The view
    gets the company: `view(request, company, **kwargs)`.
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
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, grant.company, *args, **kwargs)

        return wrapped

    return decorator


# Workspace roles that may read the workspace's activity log. The team's roles narrow this (owner and
# admins); until they land, every member of the workspace.
ACTIVITY_LOG_ROLES = {WorkspaceMember.Role.OWNER, WorkspaceMember.Role.STAFF}


def may_read_workspace_activity(*, workspace: Workspace) -> bool:
    """The one rule of who reads "Registro de actividad" of a workspace (its page, its export, the menu):
    `workspace` as workspace_for_user loaded it for the user."""
    return getattr(workspace, "viewer_role", None) in ACTIVITY_LOG_ROLES
