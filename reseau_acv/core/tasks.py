"""Celery tasks of the outbox: thin wrappers over ``outbox``."""

from celery import shared_task

from . import health, notifications, outbox


@shared_task(name="core.outbox_send")
def outbox_send_task(*, message_id: int) -> bool:
    return outbox.outbox_send(message_id=message_id)


@shared_task(name="core.outbox_send_many")
def outbox_send_many_task(*, message_ids: list[int]) -> int:
    return outbox.outbox_send_parallel(message_ids).sent


@shared_task(name="core.outbox_flush")
def outbox_flush_task() -> int:
    return outbox.outbox_flush()


@shared_task(name="core.heartbeat", ignore_result=True, expires=120)
def heartbeat_task() -> None:
    """Published by beat every minute, run by any worker: ``/healthz/`` reads both times."""
    health.record_worker()


@shared_task(name="core.retention_purge")
def retention_purge_task() -> int:
    """Daily: personal data past its retention period (sent e-mails, read notifications) is deleted."""
    return outbox.outbox_retention_purge() + notifications.notifications_retention_purge()
