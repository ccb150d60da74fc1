from django.urls import path

from .views import catalogs, chart, entries, imports, periods, reports

app_name = "books"

urlpatterns = [
    path("cuentas/", chart.account_list, name="account_list"),
    path("cuentas/nueva/", chart.account_new, name="account_new"),
    path("cuentas/buscar/", chart.account_lookup, name="account_lookup"),
    path("cuentas/<str:code>/", chart.account_edit, name="account_edit"),
    path("terceros/", catalogs.third_party_list, name="third_party_list"),
    path("terceros/nuevo/", catalogs.third_party_new, name="third_party_new"),
    path("terceros/buscar/", catalogs.third_party_lookup, name="third_party_lookup"),
    path("terceros/exportar.xlsx", catalogs.third_parties_export, name="third_parties_export"),
    path("terceros/importar/", catalogs.third_parties_upload, name="third_parties_upload"),
    path("terceros/<int:third_party_id>/", catalogs.third_party_edit, name="third_party_edit"),
    path("centros-de-costo/", catalogs.cost_center_list, name="cost_center_list"),
    path("centros-de-costo/<int:cost_center_id>/", catalogs.cost_center_edit, name="cost_center_edit"),
    path("tipos-de-comprobante/", catalogs.voucher_type_list, name="voucher_type_list"),
    path("tipos-de-comprobante/<int:voucher_type_id>/", catalogs.voucher_type_edit, name="voucher_type_edit"),
    path("comprobantes/", entries.entry_list_view, name="entry_list"),
    path("comprobantes/nuevo/", entries.entry_new, name="entry_new"),
    path("comprobantes/<int:entry_id>/", entries.entry_detail, name="entry_detail"),
    path("comprobantes/<int:entry_id>/editar/", entries.entry_edit, name="entry_edit"),
    path("comprobantes/<int:entry_id>/contabilizar/", entries.entry_post_view, name="entry_post"),
    path("comprobantes/<int:entry_id>/copiar/", entries.entry_copy_view, name="entry_copy"),
    path("comprobantes/<int:entry_id>/eliminar/", entries.entry_delete_view, name="entry_delete"),
    path("comprobantes/<int:entry_id>/anular/", entries.entry_annul_view, name="entry_annul"),
    path("comprobantes/<int:entry_id>/reversar/", entries.entry_reverse_view, name="entry_reverse"),
    path("comprobantes/importar/", imports.journal_upload, name="journal_upload"),
    path("comprobantes/importar/plantilla.<str:fmt>", imports.journal_template, name="journal_template"),
    path("comprobantes/importar/<int:import_id>/", imports.journal_job, name="journal_job"),
    path(
        "comprobantes/importar/<int:import_id>/confirmar/",
        imports.journal_confirm_view,
        name="journal_confirm",
    ),
    path(
        "comprobantes/importar/<int:import_id>/progreso/", imports.journal_progress, name="journal_progress"
    ),
    path(
        "comprobantes/importar/<int:import_id>/resultado.xlsx", imports.journal_report, name="journal_report"
    ),
    path("saldos-iniciales/", periods.opening_balances, name="opening_balances"),
    path("periodos/", periods.periods, name="periods"),
    path("informes/balance-de-prueba/", reports.report_trial_balance, name="report_trial_balance"),
    path("informes/libro-auxiliar/", reports.report_auxiliary, name="report_auxiliary"),
    path("informes/libro-diario/", reports.report_journal, name="report_journal"),
    path("informes/libro-mayor/", reports.report_general_ledger, name="report_general_ledger"),
    path("informes/estados-financieros/", reports.report_statements, name="report_statements"),
    path("informes/estados-financieros/firmas/", reports.signatures, name="signatures"),
    path("informes/archivos/<int:export_id>/", reports.report_export, name="report_export"),
    path(
        "informes/archivos/<int:export_id>/descargar/",
        reports.report_export_download,
        name="report_export_download",
    ),
]
