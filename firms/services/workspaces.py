"""Workspaces: creating one, its name and country, its plan."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Country, Workspace, WorkspaceMember
from .audit import audit_record, changes


def workspace_create(*, owner, name: str, country: str = Country.CO) -> Workspace:
    """A new Espacio Contador with a trial of settings.TRIAL_DAYS days, owned by `owner`."""
    with transaction.atomic():
        workspace = Workspace.objects.create(
            name=name.strip(),
            country=country,
            trial_ends_on=timezone.localdate() + timedelta(days=settings.TRIAL_DAYS),
        )
        WorkspaceMember.objects.create(workspace=workspace, user=owner, role=WorkspaceMember.Role.OWNER)
        audit_record(action="workspace.created", actor=owner, workspace=workspace, target=workspace)
    return workspace


def workspace_update(*, workspace: Workspace, name: str, country: str) -> Workspace:
    before = {"name": workspace.name, "country": workspace.country}
    workspace.name = name.strip()
    workspace.country = country
    with transaction.atomic():
        workspace.save(update_fields=["name", "country"])
        was, now = changes(before, {"name": workspace.name, "country": workspace.country})
        audit_record(action="workspace.updated", workspace=workspace, target=workspace, before=was, after=now)
    return workspace


def workspace_set_plan(*, workspace: Workspace, plan: str) -> Workspace:
    """Admins mark a workspace as paid (or move it to consulta)."""
    before = workspace.plan
    workspace.plan = plan
    workspace.paid_since = timezone.now() if plan == Workspace.Plan.PAID else None
    with transaction.atomic():
        workspace.save(update_fields=["plan", "paid_since"])
        audit_record(
            action="plan.changed",
            workspace=workspace,
            target=workspace,
            summary=f"{before} → {plan}",
            before={"plan": before},
            after={"plan": plan},
        )
    return workspace
