"""Measure the weekly digest end to end at real size: N members, a real Celery worker, a real SMTP server.

    REDIS_URL=redis://127.0.0.1:6379/6 DATABASE_URL=postgres://…/reseau_acv_regional \
        python manage.py bench_digest --membres 10000

The command adds N members and a week of new content (committed: the worker is another process),
starts a local SMTP server that discards what it receives (aiosmtpd) and a Celery worker shaped
as in production (prefork, ``--concurrency 2``) on a queue of its own, then queues the digest task
once, as beat does. The worker records the digests batch after batch (one fixed set of queries per
batch: the messages go through ``outbox_record_many``), and each committed batch is sent by the
outbox over its SMTP connections. The figure is the time from the task's queuing to the last digest
recorded, then to the last one sent. At the end everything the measurement added is deleted: its
members, content, digests and e-mails. Run it on a measurement database (``seed_scale``); it is
refused in production and when digests of this week were already recorded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from reseau_acv.accueil import services
from reseau_acv.accueil.digest import period_for
from reseau_acv.accueil.models import EnvoiDigest, Frequence
from reseau_acv.celery import app
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Courriel, Theme
from reseau_acv.core.smtp_sink import SinkServer, free_port
from reseau_acv.core.visibility import Visibilite
from villes.models import Mission, Ville

UNUSABLE_PASSWORD = make_password(None)  # nobody signs in as a benchmark member
DOMAIN = "bench-digest.invalid"


class Worker:
    """A Celery worker process as in production, reading only the measurement's queue."""

    def __init__(self, *, queue: str, smtp: dict, concurrency: int):
        self.queue = queue
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        # The worker reads the database this command writes (under pytest: the test database).
        self.smtp = {
            **smtp,
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_WORKER_MODE": "real",  # read by the test settings only: tasks through the broker
        }
        self.concurrency = concurrency
        self.process = None
        self.ready = threading.Event()

    def start(self) -> None:
        variables = [f"{k}={v}" for k, v in self.smtp.items()] + [f"CELERY_TASK_DEFAULT_QUEUE={self.queue}"]
        command = [
            "env",  # the measurement's settings added to the inherited environment
            *variables,
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reseau_acv",
            "worker",
            f"--concurrency={self.concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            self.queue,
            "--loglevel=INFO",
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            command, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(timeout=60):
            self.stop()
            raise CommandError("Le worker Celery n'a pas démarré en 60 s (REDIS_URL est-il joignable ?).")

    def _read(self) -> None:
        for line in self.process.stdout:
            if " ready." in line:
                self.ready.set()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Command(BaseCommand):
    help = (
        "Mesure le résumé hebdomadaire de N membres de bout en bout : un vrai worker Celery, un serveur SMTP "
        "local (tout ce que la mesure ajoute est effacé à la fin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--membres", "--members", dest="membres", type=int, default=10_000)
        parser.add_argument("--concurrence", type=int, default=2, help="processus du worker (2 en production)")
        parser.add_argument("--delai", type=float, default=600, help="abandonner après tant de secondes")

    def handle(self, *args, membres: int, concurrence: int, delai: float, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError("bench_digest est refusé en production (DEMO_ALLOWED=false).")
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        if not settings.REDIS_URL:
            raise CommandError("Cette mesure demande Redis, broker du worker : REDIS_URL=redis://127.0.0.1:6379/N.")
        if not Ville.objects.exists():
            raise CommandError("Importez d'abord les villes : manage.py import_villes (ou seed_scale).")
        period = period_for(Frequence.HEBDOMADAIRE, timezone.now())
        if EnvoiDigest.objects.filter(periode=period.key).exists():
            raise CommandError(
                f"Des résumés de la période {period.key} sont déjà enregistrés : la mesure les mêlerait."
            )
        if Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE).exists():
            raise CommandError("Des courriels attendent l'envoi : la mesure les enverrait au serveur de test.")

        started_at = timezone.now()
        run = uuid.uuid4().hex[:8]
        sink = SinkServer(free_port())
        worker = Worker(queue=f"bench-digest-{run}", smtp=sink.settings(), concurrency=concurrence)
        try:
            self._seed(membres, run=run, published=period.start + timedelta(days=2))
            due = services._members_due(Frequence.HEBDOMADAIRE, period.key).count()  # noqa: SLF001 (the same rule)
            self.stdout.write(
                f"{membres} membres ajoutés ({due} membres attendent le résumé {period.key}) ; "
                f"worker prefork --concurrency={concurrence}, {settings.OUTBOX_SEND_THREADS} connexions SMTP par envoi."
            )
            sink.start()
            worker.start()
            self._measure(period.key, due=due, queue=worker.queue, timeout=delai)
        finally:
            worker.stop()
            sink.stop()
            self._clean(run=run, period=period.key, since=started_at)
        self.stdout.write("Membres, contenus, résumés et courriels de la mesure effacés.")

    def _measure(self, period: str, *, due: int, queue: str, timeout: float) -> None:
        from reseau_acv.accueil.tasks import digest_send_task

        digests = EnvoiDigest.objects.filter(periode=period)
        mails = Courriel.objects.filter(objet_envoi=services.DIGEST_PURPOSE, cle__contains=f":{period}:")
        started = time.perf_counter()
        eager, app.conf.task_always_eager = app.conf.task_always_eager, False  # through Redis, to the worker
        try:
            digest_send_task.apply_async(kwargs={"frequence": Frequence.HEBDOMADAIRE}, queue=queue)
        finally:
            app.conf.task_always_eager = eager
        recorded_after = None
        while True:
            time.sleep(0.5)
            elapsed = time.perf_counter() - started
            if recorded_after is None and digests.count() >= due:
                recorded_after = elapsed
            if recorded_after is not None and not mails.filter(statut=Courriel.Statut.EN_ATTENTE).exists():
                break
            if elapsed > timeout:
                raise CommandError(
                    f"Pas fini après {timeout:.0f} s : {digests.count()} résumés, {mails.count()} courriels."
                )
        sent = mails.filter(statut=Courriel.Statut.ENVOYE).count()
        self.stdout.write(
            f"{digests.count()} résumés enregistrés en {recorded_after:.1f} s ; {sent} courriels envoyés au serveur "
            f"SMTP en {elapsed:.1f} s depuis la mise en file ({sent / elapsed:.0f} courriels/s de bout en bout) ; "
            f"charge de la machine : {os.getloadavg()[0]:.1f}"
        )

    def _seed(self, n: int, *, run: str, published) -> None:
        from panorama.models import ArticlePresse
        from rencontres.models import Rencontre
        from ressources.models import Question, Ressource, Statut

        roles = [Role.CHEF_DE_PROJET, Role.CHEF_DE_PROJET, Role.PARTENAIRE, Role.EQUIPE]
        users = User.objects.bulk_create(
            (
                User(
                    email=f"membre-{i}-{run}@{DOMAIN}",
                    password=UNUSABLE_PASSWORD,
                    role=roles[i % len(roles)],
                    first_name=f"Membre {i}",
                )
                for i in range(n)
            ),
            batch_size=2000,
        )
        villes = list(Ville.objects.order_by("pk")[:60])
        Mission.objects.bulk_create(
            (
                Mission(personne=user, ville=villes[i % len(villes)])
                for i, user in enumerate(users)
                if user.role == Role.CHEF_DE_PROJET
            ),
            batch_size=2000,
        )
        themes = list(Theme.objects.all())
        levels = [Visibilite.PUBLIC, Visibilite.PARTENAIRES, Visibilite.RESEAU]
        for i in range(30):
            ressource = Ressource.objects.create(
                titre=f"Ressource de mesure {i}",
                slug=f"bench-digest-{run}-ressource-{i}",
                statut=Statut.PUBLIE,
                publie_le=published,
                visibilite=levels[i % 3],
            )
            ressource.themes.set(themes[i % len(themes) : i % len(themes) + 1])
            Question.objects.create(
                titre=f"Question de mesure {i}",
                slug=f"bench-digest-{run}-question-{i}",
                statut=Statut.PUBLIE,
                publie_le=published,
                visibilite=levels[i % 3],
            )
            article = ArticlePresse.objects.create(
                titre=f"Article de mesure {i} {run}",
                empreinte=f"article de mesure {i} {run}",
                publie_le=published,
                trie_le=published,
                statut=ArticlePresse.Statut.RETENU,
                visibilite=Visibilite.PARTENAIRES,
            )
            article.villes.set(villes[i * 2 : i * 2 + 2])
        for i in range(5):
            debut = timezone.now() + timedelta(days=10 + i)
            Rencontre.objects.create(
                titre=f"Rencontre de mesure {i} {run}",
                debut=debut,
                fin=debut + timedelta(hours=2),
                statut=Rencontre.Statut.PUBLIEE,
                publiee_le=published,
                visibilite=levels[1 + i % 2],
            )

    def _clean(self, *, run: str, period: str, since) -> None:
        from panorama.models import ArticlePresse
        from rencontres.models import Rencontre
        from ressources.models import Question, Ressource

        Courriel.objects.filter(
            objet_envoi=services.DIGEST_PURPOSE, cle__contains=f":{period}:", cree_le__gte=since
        ).delete()
        EnvoiDigest.objects.filter(periode=period).delete()  # refused at the start if any existed
        Ressource.objects.filter(slug__startswith=f"bench-digest-{run}-").delete()
        Question.objects.filter(slug__startswith=f"bench-digest-{run}-").delete()
        ArticlePresse.objects.filter(empreinte__endswith=f" {run}", titre__startswith="Article de mesure").delete()
        Rencontre.objects.filter(titre__endswith=f" {run}", titre__startswith="Rencontre de mesure").delete()
        User.objects.filter(email__endswith=f"-{run}@{DOMAIN}").delete()
