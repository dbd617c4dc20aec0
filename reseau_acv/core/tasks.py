"""Celery tasks of the outbox: thin wrappers over ``outbox``."""

from celery import shared_task

from . import outbox


@shared_task(name="core.outbox_send")
def outbox_send_task(*, message_id: int) -> bool:
    return outbox.outbox_send(message_id=message_id)


@shared_task(name="core.outbox_send_many")
def outbox_send_many_task(*, message_ids: list[int]) -> int:
    return sum(outbox.outbox_send(message_id=pk) for pk in message_ids)


@shared_task(name="core.outbox_flush")
def outbox_flush_task() -> int:
    return outbox.outbox_flush()
