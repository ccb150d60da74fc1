"""Equipo, /contador/equipo/...: the team page and its invitations (invitations), roles and assignments."""

from django.urls import path

from firms import team_views
from invitations import team_views as invitation_views

team_patterns = (
    [
        path("", invitation_views.team_page, name="page"),
        path(
            "invitaciones/<int:invitation_id>/reenviar/",
            invitation_views.team_invitation_resend_view,
            name="invitation_resend",
        ),
        path(
            "invitaciones/<int:invitation_id>/revocar/",
            invitation_views.team_invitation_revoke_view,
            name="invitation_revoke",
        ),
        path("miembros/<int:member_id>/rol/", team_views.member_role, name="member_role"),
        path("miembros/<int:member_id>/retirar/", team_views.member_remove, name="member_remove"),
        path("asignar/", team_views.assign_many, name="assign_many"),
        path("empresas/<int:access_id>/", team_views.access_team, name="access"),
        path(
            "asignaciones/<int:assignment_id>/responsable/",
            team_views.assignment_responsible,
            name="assignment_responsible",
        ),
        path(
            "asignaciones/<int:assignment_id>/quitar/", team_views.assignment_delete, name="assignment_delete"
        ),
    ],
    "team",
)
