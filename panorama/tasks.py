"""Celery tasks of the panorama: thin, named, taking ids, safe to run twice."""

from celery import shared_task

from . import selectors, services


@shared_task(name="panorama.ingest")
def ingest_task() -> int:
    """Every 30 minutes: one task per source whose collection is due (failing ones wait longer)."""
    due = selectors.sources_due()
    for source_id in due:
        ingest_source_task.delay_on_commit(source_id=source_id)
    return len(due)


@shared_task(name="panorama.ingest_source")
def ingest_source_task(*, source_id: int) -> str:
    return services.ingest_source(source_id=source_id).status


@shared_task(name="panorama.edition_send")
def edition_send_task(*, edition_id: int) -> int:
    return services.edition_send(edition_id=edition_id)
