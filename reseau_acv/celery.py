"""The one Celery app: tasks are autodiscovered in every installed app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseau_acv.settings.local")

app = Celery("reseau_acv")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _beat_heartbeat(sender=None, **_kwargs):
    """Beat publishes ``core.heartbeat`` every minute: keep the time, for ``/healthz/``."""
    if sender == "core.heartbeat":
        from reseau_acv.core.health import record_beat

        record_beat()
