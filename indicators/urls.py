from django.urls import path

from . import views

resource_patterns = (
    [
        path("indicadores/", views.resources_list, name="list"),
        path("indicadores/<int:resource_id>/", views.resource_open, name="open"),
        path("indicadores/calculadora-dv/", views.nit_check_digit, name="nit_check_digit"),
        path("beneficios/", views.benefits_list, name="benefits"),
    ],
    "resources",
)

tax_patterns = (
    [
        path("", views.calendar_list, name="calendar"),
        path("mes/", views.calendar_month, name="month"),
        path("exportar.<str:fmt>", views.calendar_export, name="export"),
        path("suscripcion/", views.calendar_subscription, name="subscription"),
    ],
    "tax",
)
