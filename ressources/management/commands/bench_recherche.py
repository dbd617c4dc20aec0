"""Measure the library's full-text search over N resources on PostgreSQL.

    DATABASE_URL=postgres://… python manage.py bench_recherche --n 10000

It creates N resources (in a transaction that is rolled back at the end, unless --keep), builds
their search vectors in one UPDATE, ANALYZEs the table, then times a few French queries through
the same selector as the library page (visible_to + filters + ranked search + headline) and
prints the median and worst times, and whether PostgreSQL used the GIN index.
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reseau_acv.comptes.models import Role, User
from reseau_acv.core.recherche import index_refresh
from ressources.models import Ressource, Statut
from ressources.recherche import RESSOURCE
from ressources.selectors import ressources_search, with_excerpts

TOPICS = [
    "réhabilitation des logements vacants du centre ancien",
    "OPAH-RU et copropriétés dégradées",
    "commerces fermés pendant le confinement",
    "plan de relance et fonds friches",
    "réaménagement de la place piétonne",
    "stationnement et mobilité douce",
    "façades et patrimoine",
    "convention ORT et pilotage du projet",
    "boutique à l'essai et vacance commerciale",
    "végétalisation et îlot de chaleur",
]
SYLLABLES = ["ba", "ri", "lo", "mé", "tu", "san", "ver", "qui", "dor", "pel", "nac", "sti", "fon", "gra", "li"]
QUERIES = [
    "rehabilitation logements vacants",
    "commerces confinement",
    "fonds friches",
    "place pietonne",
    "opah",
    "vegetalisation ilot chaleur facades",
]


class Command(BaseCommand):
    help = "Mesure le temps d'une recherche plein texte sur N ressources (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--keep", action="store_true", help="Garder les ressources créées.")

    def handle(self, *args, n: int, repeat: int, keep: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        with transaction.atomic():
            self._run(n=n, repeat=repeat)
            if not keep:
                transaction.set_rollback(True)
        if not keep:
            self.stdout.write("Ressources de mesure supprimées (transaction annulée).")

    def _run(self, *, n: int, repeat: int) -> None:
        rng = random.Random(2021)  # noqa: S311 (reproducible test data, not security)
        vocabulary = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(8000)]

        def filler(k: int) -> str:
            return " ".join(rng.choices(vocabulary, k=k))

        author = User.objects.filter(role=Role.CHEF_DE_PROJET).first() or User.objects.create_user(
            "bench@reseau-acv.test", role=Role.CHEF_DE_PROJET
        )
        now = timezone.now()
        start = time.perf_counter()
        Ressource.objects.bulk_create(
            [
                Ressource(
                    titre=f"{rng.choice(TOPICS).capitalize()} {filler(3)}",
                    slug=f"bench-{i}-{rng.randrange(10**9)}",
                    resume=f"{filler(15)} {rng.choice(TOPICS)} {filler(10)}",
                    corps=f"{filler(120)} {rng.choice(TOPICS)} {filler(120)}",
                    type=rng.choice(Ressource.Type.values),
                    lien="https://example.org/",
                    auteur=author,
                    visibilite=rng.choice(["public", "partenaires", "reseau", "equipe"]),
                    statut=Statut.PUBLIE if rng.random() < 0.9 else Statut.PROPOSE,
                    publie_le=now,
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        index_refresh(RESSOURCE, Ressource.objects.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ressources_ressource")
        total = Ressource.objects.count()
        self.stdout.write(
            f"{n} ressources créées et indexées en {time.perf_counter() - start:.1f} s ({total} au total)."
        )
        lead = User(role=Role.CHEF_DE_PROJET, is_active=True, pk=author.pk)
        base = Ressource.objects.visible_to(lead)
        for text in QUERIES:
            counts, pages, count = [], [], 0
            for _ in range(repeat):
                t0 = time.perf_counter()
                queryset = ressources_search(queryset=base, text=text).queryset
                count = queryset.count()
                t1 = time.perf_counter()
                with_excerpts(list(queryset[:20]), text=text)
                t2 = time.perf_counter()
                counts.append((t1 - t0) * 1000)
                pages.append((t2 - t1) * 1000)
            totals = [a + b for a, b in zip(counts, pages, strict=True)]
            self.stdout.write(
                f"« {text} » : {count} résultats — comptage {statistics.median(counts):.0f} ms, "
                f"page de 20 classée avec extraits {statistics.median(pages):.0f} ms, "
                f"total médian {statistics.median(totals):.0f} ms (pire {max(totals):.0f} ms)"
            )
        plan = ressources_search(queryset=base, text=QUERIES[0]).queryset.explain()
        uses_gin = "ressources_ressource_recherche_gin" in plan
        self.stdout.write(f"Index GIN utilisé : {'oui' if uses_gin else 'non'}")
