from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkImportConfig(AppConfig):
    name = "bulk_import"
    verbose_name = _("Bulk import of companies")

    def ready(self):
        from core.work import stalled_work_register

        from .services import import_jobs_resume

        stalled_work_register(import_jobs_resume)
