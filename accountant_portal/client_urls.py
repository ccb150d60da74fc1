"""The accountant's "Clientes" pages, /contador/clientes/...: invitations and the spreadsheet import."""

from django.urls import path

from bulk_import import views as import_views
from invitations import views

client_patterns = (
    [
        path("anadir/", views.client_add, name="add"),
        path("nueva-empresa/", views.client_create, name="create"),
        path("vinculos/<int:access_id>/reenviar/", views.access_resend_view, name="resend"),
        path("vinculos/<int:access_id>/revocar/", views.access_revoke_view, name="revoke"),
        path("importar/", import_views.import_upload, name="import"),
        path("importar/plantilla.<str:fmt>", import_views.import_template, name="import_template"),
        path("importar/<int:job_id>/", import_views.import_job, name="import_job"),
        path("importar/<int:job_id>/confirmar/", import_views.import_confirm_view, name="import_confirm"),
        path("importar/<int:job_id>/progreso/", import_views.import_progress, name="import_progress"),
        path("importar/<int:job_id>/reanudar/", import_views.import_resume_view, name="import_resume"),
        path("importar/<int:job_id>/resultado.xlsx", import_views.import_report, name="import_report"),
    ],
    "clients",
)
