from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = _("Invitations")

    def ready(self):
        from core.work import stalled_work_register

        from .services.deliver import invitations_requeue

        # Invitations pending sending and link requests waiting for their worker, queued again when stalled.
        stalled_work_register(invitations_requeue)
