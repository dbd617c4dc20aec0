"""Celery tasks of ``accueil``: thin wrappers over the services, safe to run twice."""

from celery import shared_task

from . import services
from .models import Frequence


@shared_task(name="accueil.digest_send")
def digest_send_task(*, frequence: str = Frequence.HEBDOMADAIRE) -> int:
    """Send the digests due for ``frequence``; beat runs it several times a day, and every run
    after the first only finishes what a failed run left."""
    return services.digest_run(frequence=frequence).sent


@shared_task(name="accueil.staff_notify")
def staff_notify_task() -> bool:
    return services.staff_notify()
