"""Reads of invitations shared by the views."""

from django.db.models import QuerySet

from firms.models import Workspace

from .models import Invitation
from .services.team import PENDING_STATUSES


def team_invitations_pending(*, workspace: Workspace) -> QuerySet[Invitation]:
    """Equipo: the team invitations not answered yet (expired ones too: they can be sent again)."""
    return (
        Invitation.objects.filter(workspace=workspace, kind=Invitation.Kind.TEAM, status__in=PENDING_STATUSES)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
