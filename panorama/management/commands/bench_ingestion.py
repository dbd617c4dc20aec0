"""Measure the ingestion throughput: entries per second, parsing, de-duplication, tagging and writing
included, with the matcher that knows every commune of France (37,545 names).

    python manage.py bench_ingestion --entrees 5000 [--national] [--tours 3]

``--national`` tracks the 1,851 ACV towns and PVD communes of all France (data/reference/national)
instead of the towns in the database, as the national deployment will. Everything it writes is
rolled back. The collection is measured ``--tours`` times (best and median wall-clock rates); the
CPU time of this process and of its PostgreSQL backend (read from ``/proc`` when the server is
local) gives the rate on an idle machine, when other work shares the cores.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from panorama import services
from panorama.feeds import parse_feed
from panorama.matching import build_matcher, gazetteer, keyword_matcher, town_matcher
from panorama.models import ArticlePresse, Parution, Source
from panorama.services.bulk import LINKS
from panorama.services.ingestion import feed_mode
from panorama.towns import NATIONAL_DIR
from villes.models import Ville

WORDS = [
    "centre-ville",
    "commerces",
    "logements",
    "vacants",
    "rénovation",
    "place",
    "marché",
    "halle",
    "gare",
    "navette",
    "vélo",
    "parking",
    "médiathèque",
    "école",
    "maison",
    "santé",
    "friche",
    "parc",
    "quais",
    "Loire",
    "rue",
    "piétonne",
    "travaux",
    "conseil",
    "municipal",
    "budget",
    "projet",
    "habitants",
    "élus",
    "maire",
    "association",
    "festival",
    "patrimoine",
    "château",
    "abbaye",
    "église",
    "musée",
    "boutique",
    "vitrine",
    "enseigne",
    "artisan",
    "boulangerie",
    "restaurant",
    "café",
    "terrasse",
    "tourisme",
    "visiteurs",
    "emploi",
    "entreprise",
    "usine",
    "industrie",
    "numérique",
    "fibre",
    "transition",
    "énergie",
    "chaufferie",
    "isolation",
    "façade",
    "aide",
    "subvention",
    "État",
    "Région",
    "département",
    "intercommunalité",
    "convention",
    "signature",
    "bilan",
    "étude",
    "concertation",
    "réunion",
    "publique",
]


def _feed(n: int, towns: list[str], seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not security)
    now = timezone.now()
    items = []
    for i in range(n):
        town = rng.choice(towns) if rng.random() < 0.6 else rng.choice(["Tours", "Orléans", "Limoges", "Paris"])
        title = f"{town} : {' '.join(rng.sample(WORDS, 7))}"
        summary = " ".join(rng.choices(WORDS, k=40))
        date = (now - timedelta(minutes=7 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>{escape(title)}</title><link>https://presse.example/article/{seed}-{i}?utm_source=rss</link>"
            f"<guid>bench-{seed}-{i}</guid><pubDate>{date}</pubDate><description>{escape(summary)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Banc d\'essai</title>'
        f"<link>https://presse.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


class Command(BaseCommand):
    help = "Mesure le débit de la collecte (entrées par seconde, étiquetage compris, liste nationale des communes)."

    def add_arguments(self, parser):
        parser.add_argument("--entrees", type=int, default=2000)
        parser.add_argument("--graine", type=int, default=7)
        parser.add_argument("--tours", type=int, default=3, help="Collectes mesurées (le meilleur et la médiane).")
        parser.add_argument(
            "--national", action="store_true", help="Suivre les 1 851 villes ACV et communes PVD de toute la France."
        )

    def handle(self, *args, **options):
        n = options["entrees"]
        started = time.perf_counter()
        if options["national"]:
            tracked = national_towns()
            matcher = build_matcher(tracked)
        else:
            tracked = list(Ville.objects.filter(ville_appui=False).values_list("code_insee", "nom", "departement_code"))
            matcher = town_matcher()
        build = time.perf_counter() - started
        if not tracked:
            raise CommandError("Aucune ville : lancez d'abord « manage.py import_villes » (ou --national).")
        towns = [nom for _code, nom, _dep in tracked]
        content = _feed(n, towns, options["graine"])

        started = time.perf_counter()
        parsed = parse_feed(content)
        parse = time.perf_counter() - started

        texts = [(e["title"], e["summary"]) for e in parsed.entries]
        keywords = keyword_matcher()
        started = time.perf_counter()
        for title, summary in texts:
            services.article_tag(titre=title, texte=summary, departements=["41"], towns=matcher, keywords=keywords)
        tagging = time.perf_counter() - started

        rounds = []
        for _round in range(max(1, options["tours"])):
            rounds.append(self._collect(content, matcher))
        report, again = rounds[-1].report, rounds[-1].again
        walls = sorted(r.wall for r in rounds)
        best, median = walls[0], statistics.median(walls)
        fastest = min(rounds, key=lambda r: r.wall)

        self.stdout.write(
            f"Communes connues du matcher : {len(towns)} suivies, {gazetteer().names} noms de communes de France ; {matcher.size} formes écrites ; construction {build * 1000:.0f} ms"
        )
        self.stdout.write(f"Entrées : {n} ({report.created} articles créés, {report.merged} regroupés en histoires)")
        self.stdout.write(f"Analyse RSS seule : {n / parse:,.0f} entrées/s")
        self.stdout.write(f"Étiquetage seul (villes + règles) : {n / tagging:,.0f} entrées/s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Collecte complète (analyse, dédoublonnage, étiquetage, écriture en base) : {n / best:,.0f} entrées/s"
                f" (meilleur de {len(rounds)} tours ; médiane {n / median:,.0f} entrées/s)"
            )
        )
        if fastest.cpu_db is not None:
            py, db = fastest.cpu_python, fastest.cpu_db
            self.stdout.write(
                f"Temps processeur de ce tour : Python {py:.2f} s, PostgreSQL {db:.2f} s — sur deux cœurs libres,"
                f" entre {n / (py + db):,.0f} (l'un après l'autre) et {n / max(py, db):,.0f} entrées/s (côte à côte)"
            )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        self.stdout.write(f"Charge de la machine pendant la mesure : {load:.1f} pour {os.cpu_count()} cœurs")
        self.stdout.write(
            f"Seconde collecte du même flux (tout déjà connu, {again.known} ignorées) : {n / fastest.second:,.0f} entrées/s"
        )

    def _collect(self, content: bytes, matcher) -> Round:
        """One full collection of the feed, then a second one of the same feed; everything rolled back."""
        with transaction.atomic():
            source = Source.objects.create(
                nom=f"Banc d'essai {timezone.now():%H%M%S%f}", departements="18;28;36;37;41;45"
            )
            db_before = _backend_cpu()
            cpu_before = time.process_time()
            started = time.perf_counter()
            with feed_mode():  # as ingest_source reads and stores a feed
                parsed = parse_feed(content)
                report = services.ingest_entries(source=source, entries=parsed.entries, towns=matcher)
            _check_deferred_constraints()  # what a commit would check (the rows are rolled back, not committed)
            wall = time.perf_counter() - started
            cpu_python = time.process_time() - cpu_before
            db_after = _backend_cpu()
            started = time.perf_counter()
            with feed_mode():
                again = services.ingest_entries(source=source, entries=parse_feed(content).entries, towns=matcher)
            second = time.perf_counter() - started
            transaction.set_rollback(True)
        cpu_db = db_after - db_before if db_before is not None and db_after is not None else None
        _vacuum()  # the rolled-back rows leave dead tuples: the next round starts from clean tables
        return Round(report, again, wall, second, cpu_python, cpu_db)


@dataclass
class Round:
    report: object
    again: object
    wall: float
    second: float
    cpu_python: float
    cpu_db: float | None


def _vacuum() -> None:
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            for model in (ArticlePresse, Parution, *(getattr(ArticlePresse, name).through for name in LINKS)):
                cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def _check_deferred_constraints() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend serving this connection has used (a local server on Linux), or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # another machine or container: only the wall-clock figures
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def national_towns() -> list[tuple[str, str, str]]:
    """``(code_insee, nom, departement)`` of every ACV town and PVD commune in France."""
    towns = {}
    for name in ("acv_communes.csv", "pvd_communes.csv"):
        with (NATIONAL_DIR / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                towns[row["insee_code"]] = (row["insee_code"], row["name"], row["departement_code"])
    return list(towns.values())
