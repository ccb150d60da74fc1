import re

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404
from django.shortcuts import render

from core.database import connected_as_owner

from .access import (
    GUARDED_NAMESPACES,
    SAFE_METHODS,
    company_grant_for_user,
    membership_for_user,
    request_read_only,
    revoked_access_for_user,
)
from .models import Company
from .services.audit import audit_actor
from .services.provisioning import CompanyProvisioningError, company_provision, company_provision_later

COMPANY_PATH = re.compile(r"^/c/(?P<slug>[-a-zA-Z0-9_]+)/")
RECENT_SESSION_KEY = "recent_companies"
RECENT_MAX = 8


class CompanyAreaMiddleware:
    """Sets the request's tenant from /c/<slug>/ after checking the user may enter that company.

    Every request starts and ends in the public schema. Anonymous visitors of a company URL go to
    the login page; a user without access gets 404, the same as for a company that does not exist.
    A company whose schema is not ready yet is provisioned by the worker (the web's app role creates no
    schemas) behind a "Preparando la empresa…" page; on the spot where the process connects as the owner.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection.set_schema_to_public()
        # Read on every request: a member removed from the team loses the workspace on their next request.
        request.workspace_member = membership_for_user(request.user)
        request.workspace = request.workspace_member.workspace if request.workspace_member else None
        request.company = None
        request.company_grant = None
        match = COMPANY_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            grant = company_grant_for_user(user=request.user, slug=match["slug"])
        except Http404:
            revoked = revoked_access_for_user(user=request.user, slug=match["slug"])
            if revoked is None:
                raise
            return render(request, "firms/access_revoked.html", {"access": revoked}, status=403)
        company = grant.company
        if not company.is_ready:
            if not connected_as_owner():
                return self._wait_for_the_worker(request, company)
            try:
                company = company_provision(company_id=company.pk)
            except CompanyProvisioningError as exc:
                return self._unavailable(request, company, exc)
            grant.company = company
        request.company = company
        request.company_grant = grant
        if request.method == "GET":
            self._remember(request, company.pk)
        connection.set_tenant(company)
        try:
            return self.get_response(request)
        finally:
            connection.set_schema_to_public()

    @classmethod
    def _wait_for_the_worker(cls, request, company):
        """ "Preparando la empresa…" while the worker provisions it (queued on the first visit). After the
        worker gave up, the error page: the beat job tries again, not every refresh of this page."""
        if company.provisioning_status == Company.Provisioning.FAILED:
            return cls._unavailable(request, company, CompanyProvisioningError())
        if company.provisioning_status == Company.Provisioning.PENDING:
            company_provision_later(company_ids=[company.pk])
        response = render(request, "firms/company_preparing.html", {"company": company}, status=202)
        response["Retry-After"] = "3"
        return response

    @staticmethod
    def _unavailable(request, company, error):
        return render(
            request, "firms/company_unavailable.html", {"company": company, "error": error}, status=503
        )

    @staticmethod
    def _remember(request, company_id: int) -> None:
        recent = request.session.get(RECENT_SESSION_KEY, [])
        if recent[:1] != [company_id]:
            request.session[RECENT_SESSION_KEY] = ([company_id] + [c for c in recent if c != company_id])[
                :RECENT_MAX
            ]


class PlanWriteGuardMiddleware:
    """The one place where plan consulta refuses writes, in the workspace and in its companies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "plan_guard_exempt", False):
            return None
        namespaces = set(request.resolver_match.namespaces) if request.resolver_match else set()
        if not namespaces & GUARDED_NAMESPACES:
            return None
        if not request_read_only(request):
            return None
        template = (
            "firms/partials/plan_consulta_refused.html"
            if request.htmx
            else "firms/plan_consulta_refused.html"
        )
        return render(request, template, status=403)


class AuditActorMiddleware:
    """Events the request's services record name the request's user (read only if an event is recorded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_actor(request):
            return self.get_response(request)
