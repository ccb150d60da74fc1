from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmsConfig(AppConfig):
    name = "firms"
    verbose_name = _("Workspaces and companies")

    def ready(self):
        from core.database import app_role_limit
        from core.work import stalled_work_register

        from .services.snapshots import snapshots_requeue_stalled

        app_role_limit("firms_auditevent", "SELECT, INSERT")  # the activity log: append-only
        stalled_work_register(snapshots_requeue_stalled)
