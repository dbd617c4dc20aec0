"""Reads of core: the state of the outbox for the team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Courriel


@dataclass(frozen=True)
class OutboxState:
    pending: int
    failed: int
    sent_last_day: int
    oldest_pending_since: datetime | None

    @property
    def oldest_pending(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_since if self.oldest_pending_since else None


def outbox_state() -> OutboxState:
    """Counts of the outbox in one query (the pending ones use their partial index)."""
    since = timezone.now() - timedelta(days=1)
    row = Courriel.objects.aggregate(
        pending=Count("pk", filter=Q(statut=Courriel.Statut.EN_ATTENTE)),
        failed=Count("pk", filter=Q(statut=Courriel.Statut.ECHEC)),
        sent_last_day=Count("pk", filter=Q(statut=Courriel.Statut.ENVOYE, envoye_le__gte=since)),
        oldest=Min("cree_le", filter=Q(statut=Courriel.Statut.EN_ATTENTE)),
    )
    return OutboxState(row["pending"], row["failed"], row["sent_last_day"], row["oldest"])


def outbox_abandoned():
    """Abandoned messages, newest first (only what the page shows is loaded)."""
    return (
        Courriel.objects.filter(statut=Courriel.Statut.ECHEC)
        .only("pk", "destinataire", "sujet", "objet_envoi", "tentatives", "derniere_erreur", "cree_le")
        .order_by("-cree_le", "-pk")
    )
