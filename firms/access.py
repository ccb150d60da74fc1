"""The one place that decides who sees which workspace and company."""

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
    return membership.workspace if membership else None


def companies_for_user(user) -> QuerySet[Company]:
    """Every company the user may enter: through an active workspace access, or as a member."""
    via_workspace = CompanyAccess.objects.filter(
        company=OuterRef("pk"), status=CompanyAccess.Status.ACTIVE, workspace__members__user=user
    )
    via_membership = CompanyMember.objects.filter(company=OuterRef("pk"), user=user)
    return Company.objects.filter(Q(Exists(via_workspace)) | Q(Exists(via_membership)))


class CompanyGrant:
    """How a user reaches a company: as a member, and/or through workspaces with an active access."""

    def __init__(self, company: Company, member_role: str | None, workspaces: list[Workspace]):
        self.company = company
        self.member_role = member_role
        self.workspaces = workspaces

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


def workspace_for_request(request) -> Workspace:
    """The request user's workspace, or 404 (every workspace view goes through this)."""
    workspace = getattr(request, "workspace", None)
    if workspace is None:
        raise Http404
    return workspace


def workspace_view(*methods: str):
    """Login, then the user's workspace (404 for anyone without one), then the allowed methods.

    The access check comes before the method check, so that an outsider gets 404 whatever the method.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            workspace_for_request(request)
            if methods and request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
