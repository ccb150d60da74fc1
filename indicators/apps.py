from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators, benefits and tax calendar")

    def ready(self):
        from core.l10n import shipped_names_register
        from firms.access import plan_guard_namespaces
        from firms.services.snapshots import snapshot_contributor_register

        from .models import STANDARD_OBLIGATION_NAMES
        from .snapshots import tax_calendar_snapshot_contributor

        # Obligations are shown in the reader's language, also on the board (which keeps their stored name).
        shipped_names_register("tax_obligation", STANDARD_OBLIGATION_NAMES)

        # The portfolio board shows each company's next DIAN due date.
        snapshot_contributor_register(tax_calendar_snapshot_contributor)

        # The resources' and the tax calendar's pages are the workspace's: plan consulta refuses their writes.
        plan_guard_namespaces("resources", "tax")
