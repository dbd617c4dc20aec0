"""Measure the press panorama's pages at real size (hundreds of thousands of articles) on PostgreSQL.

    DATABASE_URL=postgres://… python manage.py bench_panorama --n 200000

It creates N stories (kept for most, with towns, themes and one or two appearances each) in a
transaction that is rolled back at the end (unless --keep), ANALYZEs the tables, then requests
each page through the Django test client as a partner and as staff, and prints for each the
median and worst time over a few runs, the number of SQL queries and the slowest of them; then
the plan of the main list queries (which indexes PostgreSQL uses).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from panorama import selectors
from panorama.filters import ArticleFilter
from panorama.management.commands.bench_ingestion import WORDS
from panorama.matching import title_fingerprint
from panorama.models import ArticlePresse, Parution, Source
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Theme
from villes.models import Ville

BATCH = 5000
SEARCHES = ["friche", "logements vacants", "commerces centre-ville", "Vierzon"]


class Command(BaseCommand):
    help = "Mesure les pages du panorama de presse sur N articles (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=200_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--graine", type=int, default=2021)
        parser.add_argument("--keep", action="store_true", help="Garder les articles créés.")
        parser.add_argument(
            "--existants", action="store_true", help="Ne rien créer : mesurer les articles déjà en base (après --keep)."
        )
        parser.add_argument("--details", action="store_true", help="Afficher les trois requêtes les plus lentes.")

    def handle(self, *args, n: int, repeat: int, graine: int, keep: bool, existants: bool, details: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        if not Ville.objects.filter(ville_appui=False).exists() or not Theme.objects.exists():
            raise CommandError(
                "Ni villes ni thèmes : lancez d'abord « manage.py migrate » et « manage.py import_villes »."
            )
        with transaction.atomic():
            if existants:
                self.source = Source.objects.annotate(n=Count("parutions")).order_by("-n").first()
            else:
                self._populate(n=n, rng=random.Random(graine))  # noqa: S311 (reproducible data, not security)
            with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                self._measure(repeat=repeat, details=details)
            self._explain()
            if not keep:
                transaction.set_rollback(True)
        if not keep:
            self.stdout.write("Articles de mesure supprimés (transaction annulée).")

    # Data -----------------------------------------------------------------------------------

    def _populate(self, *, n: int, rng: random.Random) -> None:
        started = time.perf_counter()
        villes = list(Ville.objects.filter(ville_appui=False).only("pk", "nom", "reseau_regional"))
        acv = [v for v in villes if v.reseau_regional] or villes
        themes = list(Theme.objects.values_list("pk", flat=True))
        stamp = f"{timezone.now():%H%M%S%f}"
        sources = Source.objects.bulk_create(
            [Source(nom=f"Banc d'essai {stamp} — titre {i}", departements="18;28;36;37;41;45") for i in range(30)]
        )
        now = timezone.now()
        span = 6 * 365 * 24 * 3600  # six years of press
        statuts = [ArticlePresse.Statut.RETENU] * 85 + [ArticlePresse.Statut.A_TRIER] * 8
        statuts += [ArticlePresse.Statut.ECARTE] * 5 + [ArticlePresse.Statut.HORS_PERIMETRE] * 2
        levels = ["public"] * 30 + ["partenaires"] * 55 + ["reseau"] * 12 + ["equipe"] * 3
        VilleLink = ArticlePresse.villes.through  # noqa: N806 (a model class)
        ThemeLink = ArticlePresse.themes.through  # noqa: N806 (a model class)
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            towns_of, rows = [], []
            for _ in range(size):
                towns = [rng.choice(acv) if rng.random() < 0.7 else rng.choice(villes)]
                if rng.random() < 0.2:
                    towns.append(rng.choice(villes))
                towns_of.append({t.pk: t for t in towns})
                titre = f"{towns[0].nom} : {' '.join(rng.sample(WORDS, rng.randint(5, 9)))}"
                rows.append(
                    ArticlePresse(
                        titre=titre,
                        empreinte=title_fingerprint(titre),
                        publie_le=now - timedelta(seconds=rng.randrange(span)),
                        statut=rng.choice(statuts),
                        visibilite=rng.choice(levels),
                        resume=" ".join(rng.choices(WORDS, k=rng.randint(0, 30))),
                    )
                )
            articles = ArticlePresse.objects.bulk_create(rows)
            ville_links, theme_links, parutions = [], [], []
            for article, towns in zip(articles, towns_of, strict=True):
                ville_links += [VilleLink(articlepresse_id=article.pk, ville_id=pk) for pk in towns]
                theme_links += [
                    ThemeLink(articlepresse_id=article.pk, theme_id=pk)
                    for pk in rng.sample(themes, rng.choice([0, 1, 1, 1, 2, 2, 3]))
                ]
                for source in rng.sample(sources, 1 if rng.random() < 0.8 else 2):
                    url = f"https://presse.example/{source.pk}/{article.pk}"
                    parutions.append(
                        Parution(
                            article_id=article.pk,
                            source=source,
                            url=url,
                            url_canonique=url,
                            guid=url,
                            titre=article.titre,
                            publie_le=article.publie_le,
                        )
                    )
            VilleLink.objects.bulk_create(ville_links)
            ThemeLink.objects.bulk_create(theme_links)
            Parution.objects.bulk_create(parutions)
            done += size
        with connection.cursor() as cursor:
            for table in (
                "panorama_articlepresse",
                "panorama_articlepresse_villes",
                "panorama_articlepresse_themes",
                "panorama_parution",
            ):
                cursor.execute(f"ANALYZE {table}")
        total = ArticlePresse.objects.count()
        self.stdout.write(
            f"{n} articles créés en {time.perf_counter() - started:.0f} s ({total} au total, "
            f"{ArticlePresse.objects.kept().count()} retenus, {Parution.objects.count()} parutions)."
        )
        self.source = sources[0]

    # Pages ----------------------------------------------------------------------------------

    def _user(self, role: str) -> User:
        return User.objects.create_user(f"bench-{role}-{timezone.now():%H%M%S%f}@reseau-acv.test", role=role)

    def _measure(self, *, repeat: int, details: bool) -> None:
        partenaire, equipe = Client(), Client()
        partenaire.force_login(self._user(Role.PARTENAIRE))
        equipe.force_login(self._user(Role.EQUIPE))
        article = ArticlePresse.objects.kept().filter(visibilite="partenaires").order_by("-publie_le").first()
        blois = Ville.objects.filter(slug="blois").first() or Ville.objects.filter(reseau_regional=True).first()
        theme = Theme.objects.order_by("ordre").first()
        year = timezone.localdate().year - 1
        pages = [
            ("Panorama, page 1", partenaire, "/panorama/"),
            ("Panorama, page 2", partenaire, "/panorama/?page=2"),
            ("Panorama, page 3000 (profonde)", partenaire, "/panorama/?page=3000"),
            ("Panorama, dernière page", partenaire, "/panorama/?page=last"),
            ("Panorama, par ville", partenaire, f"/panorama/?ville={blois.slug}"),
            ("Panorama, par ville, page 100", partenaire, f"/panorama/?ville={blois.slug}&page=100"),
            ("Panorama, par thème", partenaire, f"/panorama/?theme={theme.slug}"),
            ("Panorama, par source", partenaire, f"/panorama/?source={self.source.pk}"),
            ("Panorama, par période", partenaire, f"/panorama/?du={year}-03-01&au={year}-03-31"),
            (
                "Panorama, ville + thème + période",
                partenaire,
                f"/panorama/?ville={blois.slug}&theme={theme.slug}&du={year}-01-01&au={year}-12-31",
            ),
            ("Panorama, équipe", equipe, "/panorama/"),
            ("Article", partenaire, article.get_absolute_url()),
            ("File de tri (équipe)", equipe, "/panorama/tri/"),
            ("Page de la ville (presse)", partenaire, blois.get_absolute_url()),
            *[(f"Recherche « {q} »", partenaire, f"/recherche/?q={q}") for q in SEARCHES],
        ]
        self.stdout.write(
            f"{'page':<38} {'médiane':>8} {'pire':>8} {'requêtes':>9} {'plus lente':>11} {'SQL en tout':>12}"
        )
        for label, client, url in pages:
            times = []
            connection.queries_log.clear()  # a full log (at its maxlen) would make the capture look empty
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            captured = list(queries.captured_queries)  # the next requests reset the connection's log
            if response.status_code != 200:
                raise CommandError(f"{url} : HTTP {response.status_code}")
            for _ in range(repeat):
                t0 = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            slowest = max((float(q["time"]) for q in captured), default=0) * 1000
            sql = sum(float(q["time"]) for q in captured) * 1000
            median = statistics.median(times)
            line = f"{label:<38} {median:>6.0f} ms {max(times):>5.0f} ms {len(captured):>9} {slowest:>8.0f} ms {sql:>9.0f} ms"
            self.stdout.write(self.style.WARNING(line) if median > 300 else line)
            if details:
                for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
                    self.stdout.write(f"    {float(query['time']) * 1000:6.0f} ms  {query['sql'][:300]}")

    # Plans ----------------------------------------------------------------------------------

    def _explain(self) -> None:
        """The plans of what the list page runs: its count, and the ids of a first and a deep page."""
        partner = User(role=Role.PARTENAIRE, is_active=True)
        blois = Ville.objects.filter(slug="blois").first() or Ville.objects.filter(reseau_regional=True).first()
        base = selectors.articles_panorama(user=partner)
        by_town = ArticleFilter({"ville": blois.slug}, queryset=base).qs
        plans = [
            ("Liste : comptage", base),
            ("Liste : identifiants de la page 1", base.values("pk")[:30]),
            ("Liste : identifiants de la page 3000", base.values("pk")[89970:90000]),
            ("Liste par ville : comptage", by_town),
            ("Liste par ville : identifiants de la page 1", by_town.values("pk")[:30]),
        ]
        for label, queryset in plans:
            if label.endswith("comptage"):
                with CaptureQueriesContext(connection) as queries:
                    queryset.count()
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN ANALYZE {queries.captured_queries[-1]['sql']}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            else:
                plan = queryset.explain(analyze=True)
            self.stdout.write(f"\nPlan — {label} :\n{plan}")
