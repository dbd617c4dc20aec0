"""Celery tasks of ``accueil``: thin wrappers over the services, safe to run twice."""

from celery import shared_task

from . import services
from .models import Frequence

# Well below the global soft time limit (4 min): a long run hands over to a fresh task.
DIGEST_TIME_BUDGET = 120
# Members per batch (one transaction, a fixed number of queries): larger batches share the fixed
# cost, and a batch of 500 still commits in about a second (bench_digest).
DIGEST_BATCH_SIZE = 500


@shared_task(name="accueil.digest_send")
def digest_send_task(*, frequence: str = Frequence.HEBDOMADAIRE) -> int:
    """Send the digests due for ``frequence``; beat runs it several times a day, and every run
    after the first only finishes what a failed run left. A run that reaches its time budget
    queues the next one, which takes the members still due."""
    result = services.digest_run(frequence=frequence, max_seconds=DIGEST_TIME_BUDGET, batch_size=DIGEST_BATCH_SIZE)
    if result.more:
        digest_send_task.apply_async(kwargs={"frequence": frequence})
    return result.sent


@shared_task(name="accueil.staff_notify")
def staff_notify_task() -> bool:
    return services.staff_notify()


@shared_task(name="accueil.animation_refresh")
def animation_refresh_task() -> float:
    """Compute the animation dashboard's figures (beat, every 15 minutes); returns the seconds it took."""
    from .stats import snapshot_refresh

    return snapshot_refresh().duree
