from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators, benefits and tax calendar")

    def ready(self):
        from firms.snapshots import snapshot_contributor_register

        from .snapshot import tax_calendar_snapshot_contributor

        # The portfolio board shows each company's next DIAN due date.
        snapshot_contributor_register(tax_calendar_snapshot_contributor)
