import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from core.logs import task_postrun_unbind, task_prerun_bind, task_publish_add_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountant_portal.settings.dev")

app = Celery("accountant_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task queued during a request carries its request id; the worker's lines for the task carry both ids.
before_task_publish.connect(task_publish_add_request_id, weak=False)
task_prerun.connect(task_prerun_bind, weak=False)
task_postrun.connect(task_postrun_unbind, weak=False)
