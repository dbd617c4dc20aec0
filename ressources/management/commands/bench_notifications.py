"""Measure ``notify`` at real size: a question followed by N members is answered, and each
follower is told (a notification each, the e-mails of those who want them at once).

    manage.py bench_notifications --followers 5000

Everything happens in one transaction rolled back at the end: no row stays, no e-mail leaves.
Two rounds: every follower with the default choice (« dans mon récapitulatif »: no e-mail now),
then every follower choosing « par e-mail tout de suite » (an e-mail each through the outbox).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import ChoixNotification, Courriel, Envoi, Notification
from reseau_acv.core.notifications import follow_automatically
from ressources import services


class Command(BaseCommand):
    help = "Mesure la notification des N membres qui suivent une question (requêtes SQL, durée)."

    def add_arguments(self, parser):
        parser.add_argument("--followers", type=int, default=5000, help="membres qui suivent la question")

    def handle(self, *args, **options):
        n = options["followers"]
        with transaction.atomic():
            self._run(n)
            transaction.set_rollback(True)
        self.stdout.write("Tout est annulé (transaction) : aucune ligne ne reste, aucun courriel ne part.")

    def _members(self, n: int, prefix: str) -> list[int]:
        User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}{i}@bench.invalid",
                    first_name="Suiveur",
                    last_name=str(i),
                    role=Role.CHEF_DE_PROJET,
                    password="!",  # noqa: S106 (« ! » is Django's unusable password: nobody signs in)
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        return list(
            User.objects.filter(email__startswith=prefix, email__endswith="@bench.invalid").values_list("pk", flat=True)
        )

    def _run(self, n: int) -> None:
        asker, answerer = (
            User.objects.create(email=f"{name}@bench.invalid", role=Role.CHEF_DE_PROJET, first_name=name)
            for name in ("demandeur", "repondant")
        )
        followers = self._members(n, "bench-suiveur-")
        self.stdout.write(f"{n} membres suivent la question (base : {connection.vendor})")
        for label, envoi in (("récapitulatif (défaut)", None), ("e-mail tout de suite", Envoi.IMMEDIAT)):
            question = services.question_create(actor=asker, data={"titre": f"Mesure des notifications {label}"})
            follow_automatically(users=followers, target=question)
            if envoi:
                ChoixNotification.objects.bulk_create(
                    [ChoixNotification(membre_id=pk, type="suivi", envoi=envoi) for pk in followers],
                    batch_size=2000,
                    ignore_conflicts=True,
                )
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                message = services.message_create(actor=answerer, fil=question, corps="Une réponse mesurée.")
                elapsed = time.perf_counter() - started
            told = Notification.objects.filter(cle=f"message:{message.pk}").count()
            emails = Courriel.objects.filter(cle__startswith=f"notification:message:{message.pk}:").count()
            self.stdout.write(
                f"  {label:<24} réponse + notification : {len(queries):>3} requêtes, {elapsed * 1000:7.0f} ms — "
                f"{told} notifications, {emails} courriels"
            )
            with CaptureQueriesContext(connection) as again:
                started = time.perf_counter()
                services._tell_thread(actor=answerer, fil=question, message=message, mentioned=[])
                elapsed = time.perf_counter() - started
            self.stdout.write(
                f"  {'':<24} même événement rejoué : {len(again):>3} requêtes, {elapsed * 1000:7.0f} ms — "
                f"{Notification.objects.filter(cle=f'message:{message.pk}').count()} notifications (aucune de plus)"
            )
