"""Measure the outbox against a real SMTP server: its send rate, and its recovery after an outage.

By default a local SMTP server that accepts and discards everything (aiosmtpd, a development
dependency) is started in its own process. The benchmark records its own messages, sends them
with the same ``outbox_flush`` that Celery beat runs, and deletes them at the end.

    manage.py bench_outbox --messages 2000                 # send rate
    manage.py bench_outbox --messages 1300 --outage 30     # recovery after a 30-second outage

With ``--outage``, the server is down for that long while a loop calls the flush every
``OUTBOX_FLUSH_SECONDS`` (as beat does); the figure is the time from the server's return to the
last message sent.
"""

from __future__ import annotations

import os
import resource
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import Outgoing, outbox_flush, outbox_record_many, render_email
from reseau_acv.core.smtp_sink import SinkServer, free_port

PURPOSE = "bench_outbox"


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class Command(BaseCommand):
    help = "Mesure le débit d'envoi de la boîte d'envoi et sa reprise après une panne du serveur SMTP."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=2000)
        parser.add_argument("--outage", type=float, default=0.0, help="durée de la panne simulée, en secondes")

    def handle(self, *args, messages: int, outage: float, **options):
        if Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE).exclude(objet_envoi=PURPOSE).exists():
            raise CommandError("Des courriels réels attendent l'envoi : la mesure les enverrait au serveur de test.")
        sink = SinkServer(free_port())
        run = uuid.uuid4().hex[:8]
        email = render_email(
            "core/courriels_abandonnes",
            {"messages": [], "count": 1, "url": "/animation/courriels/"},
        )
        try:
            with override_settings(**sink.settings()):
                outbox_record_many(
                    [Outgoing(PURPOSE, run, f"membre{i}@bench.invalid", email) for i in range(messages)], send=False
                )
                if outage:
                    self._drill(sink, outage=outage, messages=messages)
                else:
                    sink.start()
                    cpu_before = _cpu_seconds(resource.RUSAGE_SELF)
                    started = time.perf_counter()
                    sent = outbox_flush(budget_seconds=3600)
                    elapsed = time.perf_counter() - started
                    cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu_before
                    children_before = _cpu_seconds(resource.RUSAGE_CHILDREN)
                    sink.stop()
                    cpu += _cpu_seconds(resource.RUSAGE_CHILDREN) - children_before
                    self.stdout.write(
                        f"{sent} courriels envoyés en {elapsed:.2f} s : {sent / elapsed:.0f} courriels/s "
                        f"({settings.OUTBOX_SEND_THREADS} connexions SMTP, lots de {settings.OUTBOX_LOCK_GROUP} lignes)"
                    )
                    self.stdout.write(
                        f"temps processeur (plateforme et serveur SMTP) : {cpu * 1000 / max(sent, 1):.2f} ms par courriel, "
                        f"soit {sent / cpu:.0f} courriels/s par cœur libre ; charge de la machine : "
                        f"{os.getloadavg()[0]:.1f}"
                    )
        finally:
            sink.stop()
            Courriel.objects.filter(objet_envoi=PURPOSE).delete()

    def _drill(self, sink: SinkServer, *, outage: float, messages: int) -> None:
        """Beat's loop: a flush every OUTBOX_FLUSH_SECONDS; the server comes back after ``outage``."""
        interval = settings.OUTBOX_FLUSH_SECONDS
        began = time.monotonic()
        back_at = None
        next_tick = began
        while True:
            now = time.monotonic()
            if back_at is None and now - began >= outage:
                sink.start()
                back_at = time.monotonic()
                self.stdout.write(f"serveur SMTP de retour après {back_at - began:.1f} s de panne")
            if now >= next_tick:
                outbox_flush(budget_seconds=interval * 3)
                next_tick += interval
            remaining = Courriel.objects.filter(objet_envoi=PURPOSE, statut=Courriel.Statut.EN_ATTENTE).count()
            if back_at is not None and remaining == 0:
                recovery = time.monotonic() - back_at
                self.stdout.write(
                    f"{messages} courriels en attente pendant la panne, tous envoyés {recovery:.1f} s "
                    f"après le retour du serveur (flush toutes les {interval} s)"
                )
                return
            if time.monotonic() - began > outage + 600:
                raise CommandError(f"{remaining} courriels restent en attente 10 minutes après la panne.")
            time.sleep(0.2)
