"""The outbox: the one way the platform sends e-mail.

``outbox_record`` stores the message in the caller's transaction under a unique key
(purpose, object, recipient), then, once that transaction commits, asks a Celery task to send
it. ``outbox_send`` sends one message at most once: it locks the row, skips it if it was sent
already or is being sent by another worker, and marks it sent in the same transaction.
``outbox_flush`` (Celery beat, every minute) sends whatever is still pending: the broker or
the mail server was down, or a worker died.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Courriel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "content": base64.b64encode(self.content).decode("ascii"),
            "mimetype": self.mimetype,
        }


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, context: dict) -> RenderedEmail:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` with ``context``."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    return RenderedEmail(subject=subject, text=text.strip() + "\n", html=html)


def outbox_key(purpose: str, obj: object, recipient: str) -> str:
    return f"{purpose}:{obj}:{recipient.lower()}"[:255]


def outbox_record(
    *,
    purpose: str,
    obj: object,
    to: str,
    email: RenderedEmail,
    headers: dict[str, str] | None = None,
    attachments: list[Attachment] | None = None,
    send: bool = True,
) -> tuple[Courriel, bool]:
    """Record one message for ``to`` about ``obj``; a second call with the same key is a no-op.

    Returns ``(message, created)``. Call it inside the transaction of the change that causes
    the e-mail: if that transaction rolls back, no e-mail is left behind.
    """
    with transaction.atomic():
        message, created = Courriel.objects.get_or_create(
            cle=outbox_key(purpose, obj, to),
            defaults={
                "objet_envoi": purpose,
                "destinataire": to,
                "sujet": email.subject,
                "texte": email.text,
                "html": email.html,
                "entetes": headers or {},
                "pieces_jointes": [a.as_json() for a in attachments or []],
            },
        )
    if created and send:
        message_id = message.pk
        transaction.on_commit(lambda: enqueue_send(message_id), robust=True)
    return message, created


@dataclass(frozen=True)
class Outgoing:
    """One message to record with :func:`outbox_record_many`."""

    purpose: str
    obj: object
    to: str
    email: RenderedEmail
    headers: dict[str, str] | None = None
    attachments: list[Attachment] | None = None

    @property
    def key(self) -> str:
        return outbox_key(self.purpose, self.obj, self.to)


def outbox_record_many(messages: list[Outgoing], *, send: bool = True) -> tuple[dict[str, Courriel], int]:
    """Record many messages in a fixed number of queries, whatever their number.

    Keys already recorded are left as they were (a no-op, as with :func:`outbox_record`).
    Returns the recorded rows by key (only ``pk``, ``cle`` and ``statut`` loaded) and how many
    were new. After the caller's transaction commits, one task sends the pending ones.
    """
    if not messages:
        return {}, 0
    keys = [message.key for message in messages]
    with transaction.atomic():
        existing = set(Courriel.objects.filter(cle__in=keys).values_list("cle", flat=True))
        new = [message for message in messages if message.key not in existing]
        Courriel.objects.bulk_create(
            [
                Courriel(
                    cle=message.key,
                    objet_envoi=message.purpose,
                    destinataire=message.to,
                    sujet=message.email.subject,
                    texte=message.email.text,
                    html=message.email.html,
                    entetes=message.headers or {},
                    pieces_jointes=[a.as_json() for a in message.attachments or []],
                )
                for message in new
            ],
            ignore_conflicts=True,  # a concurrent run recorded the same key: still one message
            batch_size=500,
        )
        recorded = {row.cle: row for row in Courriel.objects.filter(cle__in=keys).only("pk", "cle", "statut")}
    if send:
        pending = [row.pk for row in recorded.values() if row.statut == Courriel.Statut.EN_ATTENTE]
        if pending:
            transaction.on_commit(lambda: enqueue_send_many(pending), robust=True)
    return recorded, len(new)


def enqueue_send_many(message_ids: list[int]) -> None:
    """Ask a worker to send many messages, in one task; see :func:`enqueue_send`."""
    from .tasks import outbox_send_many_task

    try:
        outbox_send_many_task.apply_async(kwargs={"message_ids": message_ids}, retry=False)
    except Exception:  # noqa: BLE001 (any broker failure: the messages stay pending, flushed later)
        logger.warning("outbox: broker unreachable, %s messages stay pending", len(message_ids))


def enqueue_send(message_id: int) -> None:
    """Ask a worker to send one message. A broker that is down only delays it: the periodic
    flush will find it pending."""
    from .tasks import outbox_send_task

    try:
        outbox_send_task.apply_async(kwargs={"message_id": message_id}, retry=False)
    except Exception:  # noqa: BLE001 (any broker failure: the message stays pending, flushed later)
        logger.warning("outbox: broker unreachable, message %s stays pending", message_id)


def _build(message: Courriel) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.sujet,
        body=message.texte,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.destinataire],
        headers=message.entetes or None,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for piece in message.pieces_jointes:
        email.attach(piece["filename"], base64.b64decode(piece["content"]), piece["mimetype"])
    return email


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def outbox_send(*, message_id: int) -> bool:
    """Send one pending message, at most once. Returns True if this call sent it."""
    with transaction.atomic():
        message = (
            Courriel.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, statut=Courriel.Statut.EN_ATTENTE)
            .first()
        )
        if message is None:
            return False  # sent already, abandoned, or being sent by another worker
        try:
            _build(message).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 (any mail server failure is retried later)
            message.tentatives += 1
            message.derniere_erreur = f"{type(exc).__name__}: {exc}"[:2000]
            message.prochain_essai = timezone.now() + _backoff(message.tentatives)
            if message.tentatives >= settings.OUTBOX_MAX_ATTEMPTS:
                message.statut = Courriel.Statut.ECHEC
            message.save(update_fields=["tentatives", "derniere_erreur", "prochain_essai", "statut"])
            logger.warning("outbox: sending %s failed (%s)", message_id, exc)
            return False
        message.statut = Courriel.Statut.ENVOYE
        message.envoye_le = timezone.now()
        message.tentatives += 1
        message.save(update_fields=["statut", "envoye_le", "tentatives"])
        return True


def outbox_flush(*, limit: int = 500) -> int:
    """Send the pending messages whose time has come. Returns how many were sent."""
    due = list(
        Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE, prochain_essai__lte=timezone.now())
        .order_by("prochain_essai")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_send(message_id=pk) for pk in due)
