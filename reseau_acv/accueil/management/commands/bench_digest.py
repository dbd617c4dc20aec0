"""Measure the digest at real size: build and record, then send, the digests of N members.

Everything happens in one transaction that is rolled back at the end: the database is left as
it was, and no e-mail leaves (the messages go to Django's in-memory backend).

    DATABASE_URL=postgres://… python manage.py bench_digest --members 5000
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from reseau_acv.accueil import services
from reseau_acv.accueil.digest import period_for
from reseau_acv.accueil.models import Frequence
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Courriel, Theme
from reseau_acv.core.outbox import outbox_flush
from reseau_acv.core.visibility import Visibilite
from villes.models import Mission, Ville

UNUSABLE_PASSWORD = make_password(None)  # nobody signs in as a benchmark member


class QueryCounter:
    """Counts every SQL statement on the connection (no log, so no limit)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return self.count


class Command(BaseCommand):
    help = "Mesure le temps et les requêtes SQL du résumé pour N membres (tout est annulé à la fin)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=5000)
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--no-send", action="store_true", help="Mesurer seulement la préparation.")

    def handle(self, *args, members: int, batch_size: int, no_send: bool, **options):
        if not Ville.objects.exists():
            raise CommandError("Importez d'abord les villes : manage.py import_villes")
        with transaction.atomic(), override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._bench(members, batch_size, no_send)
            transaction.set_rollback(True)
        self.stdout.write("Base de données remise dans son état initial.")

    def _bench(self, n: int, batch_size: int, no_send: bool) -> None:
        now = timezone.now()
        period = period_for(Frequence.HEBDOMADAIRE, now)
        self._seed(n, published=period.start + timedelta(days=2))
        self.stdout.write(f"{n} membres, période {period.key}, lots de {batch_size}.")

        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            result = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=now, batch_size=batch_size)
            built = time.perf_counter() - started
        self.stdout.write(
            f"Préparation et enregistrement : {built:.1f} s, {len(queries)} requêtes SQL "
            f"({len(queries) / max(n, 1):.2f} par membre), {result.batches} lots, "
            f"{result.sent} résumés, {result.empty} membres sans nouveauté."
        )
        if no_send:
            return
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            sent = 0
            while batch := outbox_flush(limit=1000):
                sent += batch
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Envoi par la boîte d'envoi : {elapsed:.1f} s, {len(queries)} requêtes SQL, {sent} courriels envoyés."
        )
        pending = Courriel.objects.filter(
            objet_envoi=services.DIGEST_PURPOSE, statut=Courriel.Statut.EN_ATTENTE
        ).count()
        self.stdout.write(f"Encore en attente : {pending}.")

    def _seed(self, n: int, *, published) -> None:
        from panorama.models import ArticlePresse
        from rencontres.models import Rencontre
        from ressources.models import Question, Ressource, Statut

        roles = [Role.CHEF_DE_PROJET, Role.CHEF_DE_PROJET, Role.PARTENAIRE, Role.EQUIPE]
        users = User.objects.bulk_create(
            User(
                email=f"bench-{i}@bench.invalid",
                password=UNUSABLE_PASSWORD,
                role=roles[i % len(roles)],
                first_name=f"Membre {i}",
            )
            for i in range(n)
        )
        villes = list(Ville.objects.order_by("pk")[:60])
        Mission.objects.bulk_create(
            Mission(personne=user, ville=villes[i % len(villes)])
            for i, user in enumerate(users)
            if user.role == Role.CHEF_DE_PROJET
        )
        themes = list(Theme.objects.all())
        levels = [Visibilite.PUBLIC, Visibilite.PARTENAIRES, Visibilite.RESEAU]
        for i in range(30):
            ressource = Ressource.objects.create(
                titre=f"Ressource de mesure {i}",
                slug=f"bench-ressource-{i}",
                statut=Statut.PUBLIE,
                publie_le=published,
                visibilite=levels[i % 3],
            )
            ressource.themes.set(themes[i % len(themes) : i % len(themes) + 1])
            Question.objects.create(
                titre=f"Question de mesure {i}",
                slug=f"bench-question-{i}",
                statut=Statut.PUBLIE,
                publie_le=published,
                visibilite=levels[i % 3],
            )
            article = ArticlePresse.objects.create(
                titre=f"Article de mesure {i}",
                empreinte=f"article de mesure {i}",
                publie_le=published,
                trie_le=published,
                statut=ArticlePresse.Statut.RETENU,
                visibilite=Visibilite.PARTENAIRES,
            )
            article.villes.set(villes[i * 2 : i * 2 + 2])
        for i in range(5):
            debut = timezone.now() + timedelta(days=10 + i)
            Rencontre.objects.create(
                titre=f"Rencontre de mesure {i}",
                debut=debut,
                fin=debut + timedelta(hours=2),
                statut=Rencontre.Statut.PUBLIEE,
                publiee_le=published,
                visibilite=levels[1 + i % 2],
            )
