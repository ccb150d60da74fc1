from django.urls import path

from . import views

app_name = "books"

urlpatterns = [
    path("cuentas/", views.account_list, name="account_list"),
    path("cuentas/nueva/", views.account_new, name="account_new"),
    path("cuentas/buscar/", views.account_lookup, name="account_lookup"),
    path("cuentas/<str:code>/", views.account_edit, name="account_edit"),
    path("terceros/", views.third_party_list, name="third_party_list"),
    path("terceros/nuevo/", views.third_party_new, name="third_party_new"),
    path("terceros/buscar/", views.third_party_lookup, name="third_party_lookup"),
    path("terceros/exportar.xlsx", views.third_parties_export, name="third_parties_export"),
    path("terceros/importar/", views.third_parties_upload, name="third_parties_upload"),
    path("terceros/<int:third_party_id>/", views.third_party_edit, name="third_party_edit"),
    path("centros-de-costo/", views.cost_center_list, name="cost_center_list"),
    path("centros-de-costo/<int:cost_center_id>/", views.cost_center_edit, name="cost_center_edit"),
    path("tipos-de-comprobante/", views.voucher_type_list, name="voucher_type_list"),
    path("tipos-de-comprobante/<int:voucher_type_id>/", views.voucher_type_edit, name="voucher_type_edit"),
    path("comprobantes/", views.entry_list_view, name="entry_list"),
    path("comprobantes/nuevo/", views.entry_new, name="entry_new"),
    path("comprobantes/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("comprobantes/<int:entry_id>/editar/", views.entry_edit, name="entry_edit"),
    path("comprobantes/<int:entry_id>/contabilizar/", views.entry_post_view, name="entry_post"),
    path("comprobantes/<int:entry_id>/copiar/", views.entry_copy_view, name="entry_copy"),
    path("comprobantes/<int:entry_id>/eliminar/", views.entry_delete_view, name="entry_delete"),
    path("comprobantes/<int:entry_id>/anular/", views.entry_annul_view, name="entry_annul"),
    path("comprobantes/<int:entry_id>/reversar/", views.entry_reverse_view, name="entry_reverse"),
    path("comprobantes/importar/", views.journal_upload, name="journal_upload"),
    path("comprobantes/importar/plantilla.<str:fmt>", views.journal_template, name="journal_template"),
    path("comprobantes/importar/<int:import_id>/", views.journal_job, name="journal_job"),
    path(
        "comprobantes/importar/<int:import_id>/confirmar/", views.journal_confirm_view, name="journal_confirm"
    ),
    path("comprobantes/importar/<int:import_id>/progreso/", views.journal_progress, name="journal_progress"),
    path("comprobantes/importar/<int:import_id>/resultado.xlsx", views.journal_report, name="journal_report"),
    path("saldos-iniciales/", views.opening_balances, name="opening_balances"),
    path("periodos/", views.periods, name="periods"),
]
