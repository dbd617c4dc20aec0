"""The outbox: the one way the platform sends e-mail.

``outbox_record`` stores the message in the caller's transaction under a unique key
(purpose, object, recipient), then, once that transaction commits, asks a Celery task to send
it. ``outbox_send_batch`` sends messages over one SMTP connection, each at most once: it locks
the row, skips it if it was sent already or is being sent by another worker, and marks it sent in
the same transaction. Every copy of a message carries the same Message-ID, derived from its key.
``outbox_flush`` (Celery beat, every ``OUTBOX_FLUSH_SECONDS``) drains whatever is still
pending, batch after batch: the broker or the mail server was down, or a worker died. A mail
server that is down costs a message no attempt; it is retried within ``OUTBOX_SERVER_RETRY_SECONDS``.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import logging
import smtplib
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Courriel
from .permissions import require_equipe

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
        # In key order: two runs recording the same messages at once (each waits for the other's
        # uncommitted keys) then meet them in the same order, and never deadlock.
        new = sorted((message for message in messages if message.key not in existing), key=lambda m: m.key)
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


def outbox_message_id(key: str) -> str:
    """The Message-ID of the message recorded under ``key``: the same for every copy sent.

    A copy sent again after a dropped connection or a killed worker carries the same
    Message-ID, so the receiving mail systems recognise it as a duplicate.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "reseau-acv.invalid"
    return f"<{digest}@{domain}>"


def _build(message: Courriel, connection=None) -> EmailMultiAlternatives:
    headers = {"Message-ID": outbox_message_id(message.cle), **(message.entetes or {})}
    email = EmailMultiAlternatives(
        subject=message.sujet,
        body=message.texte,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.destinataire],
        headers=headers,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for piece in message.pieces_jointes:
        email.attach(piece["filename"], base64.b64decode(piece["content"]), piece["mimetype"])
    return email


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


# Failures of one message (the server refused it): counted, retried with back-off, abandoned
# after OUTBOX_MAX_ATTEMPTS. Checked first: smtplib's errors are all OSErrors.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
# Failures of the server or the network: not the message's fault, so not counted against it;
# the batch stops and the message is retried after OUTBOX_SERVER_RETRY_SECONDS.
SERVER_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError, OSError)


class _Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    SERVER_DOWN = "server_down"


def _send_locked(message: Courriel, connection) -> _Outcome:
    """Hand one locked, pending message to the mail server; record a failure on its row."""
    try:
        connection.open()  # a no-op once the connection is open
        connection.send_messages([_build(message, connection)])
    except MESSAGE_ERRORS as exc:
        _record_failure(message, exc, counted=True)
        return _Outcome.FAILED
    except SERVER_ERRORS as exc:
        _record_failure(message, exc, counted=False)
        return _Outcome.SERVER_DOWN
    except Exception as exc:  # noqa: BLE001 (any other backend failure: counted, retried later)
        _record_failure(message, exc, counted=True)
        return _Outcome.FAILED
    return _Outcome.SENT


def _record_failure(message: Courriel, exc: Exception, *, counted: bool) -> None:
    message.derniere_erreur = f"{type(exc).__name__}: {exc}"[:2000]
    fields = ["derniere_erreur", "prochain_essai"]
    if counted:
        message.tentatives += 1
        message.prochain_essai = timezone.now() + _backoff(message.tentatives)
        if message.tentatives >= settings.OUTBOX_MAX_ATTEMPTS:
            message.statut = Courriel.Statut.ECHEC
        fields += ["tentatives", "statut"]
    else:
        message.prochain_essai = timezone.now() + timedelta(seconds=settings.OUTBOX_SERVER_RETRY_SECONDS)
    message.save(update_fields=fields)
    logger.warning("outbox: sending %s failed (%s)", message.pk, exc)


@dataclass
class BatchResult:
    sent: int = 0
    attempted: int = 0
    server_down: bool = False


def _send_group(message_ids: list[int], connection, result: BatchResult) -> None:
    """Lock a small group of pending rows, send them, and mark the sent ones in one statement.

    The rows stay locked until the group is committed, so no other worker sends them; a worker
    killed in the middle leaves them pending, and the copies sent again carry the same
    Message-ID. ``OUTBOX_LOCK_GROUP`` bounds how many that can be.
    """
    with transaction.atomic():
        rows = list(
            Courriel.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, statut=Courriel.Statut.EN_ATTENTE)
            .order_by("prochain_essai", "pk")
        )
        sent = []
        for message in rows:
            outcome = _send_locked(message, connection)
            result.attempted += 1
            if outcome is _Outcome.SENT:
                sent.append(message.pk)
            elif outcome is _Outcome.SERVER_DOWN:
                result.server_down = True
                break
        if sent:
            Courriel.objects.filter(pk__in=sent).update(
                statut=Courriel.Statut.ENVOYE, envoye_le=timezone.now(), tentatives=F("tentatives") + 1
            )
        result.sent += len(sent)


def outbox_send_batch(message_ids: list[int]) -> BatchResult:
    """Send these messages over one connection to the mail server, each at most once.

    The batch stops at the first failure of the server itself: the rest stay due and the next
    flush (every ``OUTBOX_FLUSH_SECONDS``) tries again.
    """
    result = BatchResult()
    connection = get_connection(fail_silently=False)
    group = settings.OUTBOX_LOCK_GROUP
    try:
        for start in range(0, len(message_ids), group):
            _send_group(message_ids[start : start + group], connection, result)
            if result.server_down:
                break
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 (a dead connection cannot be closed cleanly; nothing is lost)
            logger.info("outbox: closing a broken mail connection failed")
    return result


def _batch_in_thread(message_ids: list[int]) -> BatchResult:
    try:
        return outbox_send_batch(message_ids)
    finally:
        db_connections.close_all()  # this thread's own database connection


def outbox_send_parallel(message_ids: list[int]) -> BatchResult:
    """Send over ``OUTBOX_SEND_THREADS`` SMTP connections at once, each with its own rows.

    While one connection waits for the mail server or the database, another builds its next
    message. Inside a transaction (a test, a benchmark that rolls back) the threads would not
    see its rows: the batch then goes over one connection.
    """
    threads = settings.OUTBOX_SEND_THREADS
    if (
        threads <= 1
        or len(message_ids) < 2 * settings.OUTBOX_LOCK_GROUP
        or transaction.get_connection().in_atomic_block
    ):
        return outbox_send_batch(message_ids)
    chunks = [message_ids[i::threads] for i in range(threads)]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="outbox") as pool:
        results = list(pool.map(_batch_in_thread, chunks))
    return BatchResult(
        sent=sum(r.sent for r in results),
        attempted=sum(r.attempted for r in results),
        server_down=any(r.server_down for r in results),
    )


def outbox_send(*, message_id: int) -> bool:
    """Send one pending message, at most once. Returns True if this call sent it."""
    return outbox_send_batch([message_id]).sent == 1


def outbox_due_ids(*, limit: int) -> list[int]:
    return list(
        Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE, prochain_essai__lte=timezone.now())
        .order_by("prochain_essai", "pk")
        .values_list("pk", flat=True)[:limit]
    )


FLUSH_LOCK = "outbox:flush"


def outbox_flush(*, limit: int = 500, budget_seconds: float | None = None) -> int:
    """Send the pending messages whose time has come, batch after batch, until none is due.

    Beat runs it every ``OUTBOX_FLUSH_SECONDS``; one flush at a time drains the backlog (a run
    that finds another one at work returns at once), within ``budget_seconds``. Then it tells
    the team about messages abandoned since the last report. ``limit`` is the size of a batch
    (one SMTP connection each). Returns how many were sent.
    """
    budget = settings.OUTBOX_FLUSH_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    token = uuid.uuid4().hex
    if not cache.add(FLUSH_LOCK, token, timeout=int(budget) + 60):
        return 0
    sent = 0
    deadline = time.monotonic() + budget
    try:
        while time.monotonic() < deadline:
            due = outbox_due_ids(limit=limit)
            if not due:
                break
            result = outbox_send_parallel(due)
            sent += result.sent
            if result.server_down or result.attempted == 0:
                break
        outbox_report_abandoned()
    finally:
        if cache.get(FLUSH_LOCK) == token:
            cache.delete(FLUSH_LOCK)
    return sent


ABANDON_PURPOSE = "outbox_abandon"


def outbox_report_abandoned() -> Courriel | None:
    """One e-mail to EQUIPE_EMAIL listing the messages abandoned since the last report.

    Each abandoned message is reported once (``abandon_signale_le``); a report that is itself
    abandoned is not reported again.
    """
    with transaction.atomic():
        rows = list(
            Courriel.objects.select_for_update(skip_locked=True)
            .filter(statut=Courriel.Statut.ECHEC, abandon_signale_le__isnull=True)
            .exclude(objet_envoi=ABANDON_PURPOSE)
            .order_by("pk")[:1000]
        )
        if not rows:
            return None
        from django.urls import reverse

        email = render_email(
            "core/courriels_abandonnes",
            {"messages": rows[:20], "count": len(rows), "url": reverse("core:outbox-health")},
        )
        message, _created = outbox_record(
            purpose=ABANDON_PURPOSE, obj=rows[-1].pk, to=settings.EQUIPE_EMAIL, email=email
        )
        Courriel.objects.filter(pk__in=[row.pk for row in rows]).update(abandon_signale_le=timezone.now())
    return message


def outbox_retry(*, actor, message_ids: list[int] | None = None) -> int:
    """Staff put abandoned messages back in line (all of them, or those given). Returns how many."""
    require_equipe(actor)
    rows = Courriel.objects.filter(statut=Courriel.Statut.ECHEC).exclude(objet_envoi=ABANDON_PURPOSE)
    if message_ids is not None:
        rows = rows.filter(pk__in=message_ids)
    with transaction.atomic():
        count = rows.update(
            statut=Courriel.Statut.EN_ATTENTE, tentatives=0, prochain_essai=timezone.now(), abandon_signale_le=None
        )
    logger.info("outbox: %s put %s abandoned messages back in line", actor.pk, count)
    if count:
        transaction.on_commit(_enqueue_flush, robust=True)
    return count


def _enqueue_flush() -> None:
    from .tasks import outbox_flush_task

    try:
        outbox_flush_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 (broker down: beat's next flush sends them)
        logger.warning("outbox: broker unreachable, the next periodic flush will send")


def outbox_retention_purge(*, now=None) -> int:
    """Delete sent messages older than ``OUTBOX_RETENTION_DAYS`` (their text is personal data).

    Pending and abandoned messages stay: the team still has to see them. Returns how many went.
    """
    limit = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _by_model = Courriel.objects.filter(statut=Courriel.Statut.ENVOYE, envoye_le__lt=limit).delete()
    return deleted
