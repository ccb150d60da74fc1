from django.urls import path

from . import views

app_name = "firms"

urlpatterns = [
    path("contador/", views.workspace_home, name="workspace_home"),
    path("contador/tablero.<str:fmt>", views.board_export, name="board_export"),
    path("contador/tablero/columnas/", views.board_columns, name="board_columns"),
    path("contador/configuracion/", views.workspace_settings, name="workspace_settings"),
    path("contador/plan/", views.workspace_plan, name="plan"),
    path("contador/cambiar-empresa/", views.company_switcher, name="company_switcher"),
    path("contador/avisos/", views.notices, name="notices"),
    path("contador/actividad/", views.workspace_activity, name="activity"),
    path("contador/actividad/exportar/", views.workspace_activity_export, name="activity_export"),
]
