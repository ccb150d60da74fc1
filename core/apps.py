from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .database import app_role_grant_after_migrate
        from .services import outgoing_emails_requeue
        from .work import stalled_work_register

        post_migrate.connect(app_role_grant_after_migrate, sender=self)
        stalled_work_register(outgoing_emails_requeue)
