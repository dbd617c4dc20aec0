"""Measure the fan-out of a meeting's e-mails at real size: publish a public meeting to every
member, then cancel it for as many registrants, and say for each the SQL queries, the total
time and how long the meeting's row stayed locked.

    DATABASE_URL=postgres://…/reseau_acv_national python manage.py bench_diffusion

Run it on a measurement database (``seed_scale``): the meeting, its registrations and its
e-mails are deleted at the end, and no e-mail leaves (the send task is not queued).
"""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from rencontres import services
from rencontres.models import Inscription, Rencontre
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Courriel, Notification
from reseau_acv.core.notifications import recount_unread

UNSENT = "reseau_acv.core.outbox.enqueue_send_many"


class LockWatch:
    """Counts the statements and notes when the meeting's row is first locked or written."""

    def __init__(self):
        self.count = 0
        self.locked_at: float | None = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if (
            self.locked_at is None
            and "rencontres_rencontre" in sql
            and ("FOR UPDATE" in sql or sql.startswith("UPDATE"))
        ):
            self.locked_at = time.perf_counter()
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Mesure la publication et l'annulation d'une rencontre pour tous les membres (requêtes, durée, verrou)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        staff = User.objects.filter(role=Role.EQUIPE, is_active=True).first()
        if staff is None:
            raise CommandError("Aucun membre de l'équipe : semez d'abord la base (manage.py seed_scale).")
        debut = timezone.now() + timedelta(days=30)
        rencontre = Rencontre.objects.create(
            titre="Mesure de diffusion",
            debut=debut,
            fin=debut + timedelta(hours=3),
            visibilite="public",
            statut=Rencontre.Statut.BROUILLON,
            cree_par=staff,
        )
        try:
            with mock.patch(UNSENT):
                self._measure(
                    "Publication (invitations)", lambda: services.rencontre_publish(actor=staff, rencontre=rencontre)
                )
                members = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
                Inscription.objects.bulk_create(
                    [Inscription(rencontre=rencontre, membre_id=pk) for pk in members], batch_size=2000
                )
                rencontre.refresh_from_db()
                self._measure(
                    "Annulation (inscrit·es)", lambda: services.rencontre_cancel(actor=staff, rencontre=rencontre)
                )
        finally:
            Courriel.objects.filter(cle__regex=rf"^rencontre_[a-z_]+:{rencontre.pk}:").delete()
            # The cancellation's notifications name the meeting by id only: they go with it, and the
            # members' unread counters are counted again.
            notified = Notification.objects.filter(
                objet_type=ContentType.objects.get_for_model(Rencontre), objet_id=rencontre.pk
            )
            members = list(notified.values_list("destinataire_id", flat=True).distinct())
            notified.delete()
            recount_unread(members)
            rencontre.delete()
        self.stdout.write("Rencontre de mesure, ses courriels et ses notifications supprimés.")

    def _measure(self, label: str, action) -> None:
        watch = LockWatch()
        before = Courriel.objects.count()
        with connection.execute_wrapper(watch):
            started = time.perf_counter()
            action()  # its own transaction: committed when it returns, and the lock released
            ended = time.perf_counter()
        recorded = Courriel.objects.count() - before
        held = (ended - watch.locked_at) if watch.locked_at else 0.0
        self.stdout.write(
            f"{label} : {recorded} courriels enregistrés en {ended - started:.1f} s, {watch.count} requêtes SQL, "
            f"ligne de la rencontre verrouillée {held * 1000:.0f} ms."
        )
