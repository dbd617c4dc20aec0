"""Celery tasks of meetings: thin wrappers over ``services``; each is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="rencontres.send_reminders")
def send_reminders_task() -> int:
    """Record the 7-day and 1-day reminders whose time has come (Celery beat)."""
    return services.rencontres_send_due_reminders()


@shared_task(name="rencontres.send_reminder")
def send_reminder_task(*, rencontre_id: int, kind: str) -> int:
    return services.rencontre_send_reminder(rencontre_id=rencontre_id, kind=kind)


@shared_task(name="rencontres.mark_held")
def mark_held_task() -> int:
    """Meetings that ended become « tenue » (Celery beat)."""
    return services.rencontres_mark_held()
