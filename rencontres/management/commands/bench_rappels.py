"""Measure how long the reminders of a meeting with many registrants take to record and send.

Everything happens in one transaction that is rolled back at the end: the database is left as
it was. E-mails go to Django's in-memory backend unless ``--backend`` says otherwise.

    python manage.py bench_rappels --inscrits 500
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from rencontres.management.commands.bench_diffusion import LockWatch
from rencontres.models import Inscription, Rencontre
from rencontres.services import rencontre_send_reminder
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import outbox_send


class Command(BaseCommand):
    help = "Mesure la durée d'envoi des rappels d'une rencontre (données créées puis annulées)."

    def add_arguments(self, parser):
        parser.add_argument("--inscrits", type=int, default=500)
        parser.add_argument("--backend", default="django.core.mail.backends.locmem.EmailBackend")

    def handle(self, *args, inscrits: int, backend: str, **options):
        results = {}
        with override_settings(EMAIL_BACKEND=backend), transaction.atomic():
            results = self._run(inscrits)
            transaction.set_rollback(True)
        total = results["record"] + results["send"]
        self.stdout.write(
            f"{inscrits} inscrits : enregistrement des rappels {results['record']:.2f} s "
            f"(ligne de la rencontre verrouillée {self.locked * 1000:.0f} ms), "
            f"envoi {results['send']:.2f} s, total {total:.2f} s "
            f"({results['sent']} courriels envoyés, {total / max(results['sent'], 1) * 1000:.1f} ms par courriel)"
        )

    def _run(self, n: int) -> dict:
        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench-rappels-{i}@bench.invalid",
                    first_name=f"Membre{i}",
                    role=Role.CHEF_DE_PROJET,
                    password=password,
                )
                for i in range(n)
            ]
        )
        debut = timezone.now() + timedelta(hours=12)
        rencontre = Rencontre.objects.create(
            titre="Séance de travail (mesure des rappels)",
            debut=debut,
            fin=debut + timedelta(hours=2),
            format=Rencontre.Format.VISIO,
            lien_visio="https://visio.example.org/bench",
            statut=Rencontre.Statut.PUBLIEE,
        )
        Inscription.objects.bulk_create([Inscription(rencontre=rencontre, membre=user) for user in users])

        watch = LockWatch()  # when the meeting's row is first locked: it stays locked to the end
        start = time.perf_counter()
        with connection.execute_wrapper(watch):
            recorded = rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j1")
        record = time.perf_counter() - start
        self.locked = time.perf_counter() - watch.locked_at if watch.locked_at else 0.0

        ids = list(
            Courriel.objects.filter(objet_envoi="rencontre_rappel_j1", statut=Courriel.Statut.EN_ATTENTE)
            .filter(destinataire__endswith="@bench.invalid")
            .values_list("pk", flat=True)
        )
        start = time.perf_counter()
        sent = sum(outbox_send(message_id=pk) for pk in ids)
        send = time.perf_counter() - start
        assert recorded == sent == n, (recorded, sent, n)  # noqa: S101 (a benchmark that lies is worse than none)
        return {"record": record, "send": send, "sent": sent}
