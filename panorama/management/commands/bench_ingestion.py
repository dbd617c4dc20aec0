"""Measure the ingestion throughput: entries per second, parsing, de-duplication, tagging and writing
included, with the matcher that knows every commune of France (37,545 names).

    python manage.py bench_ingestion --entrees 5000 [--national]

``--national`` tracks the 1,851 ACV towns and PVD communes of all France (data/reference/national)
instead of the towns in the database, as the national deployment will. Everything it writes is
rolled back.
"""

import csv
import random
import time
from datetime import timedelta
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from panorama import services
from panorama.feeds import parse_feed
from panorama.matching import build_matcher, gazetteer, keyword_matcher, town_matcher
from panorama.models import Source
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

        with transaction.atomic():
            source = Source.objects.create(
                nom=f"Banc d'essai {timezone.now():%H%M%S%f}", departements="18;28;36;37;41;45"
            )
            started = time.perf_counter()
            parsed = parse_feed(content)
            report = services.ingest_entries(source=source, entries=parsed.entries, towns=matcher)
            total = time.perf_counter() - started
            started = time.perf_counter()
            again = services.ingest_entries(source=source, entries=parse_feed(content).entries, towns=matcher)
            second = time.perf_counter() - started
            transaction.set_rollback(True)

        self.stdout.write(
            f"Communes connues du matcher : {len(towns)} suivies, {gazetteer().names} noms de communes de France ; {matcher.size} formes écrites ; construction {build * 1000:.0f} ms"
        )
        self.stdout.write(f"Entrées : {n} ({report.created} articles créés, {report.merged} regroupés en histoires)")
        self.stdout.write(f"Analyse RSS seule : {n / parse:,.0f} entrées/s")
        self.stdout.write(f"Étiquetage seul (villes + règles) : {n / tagging:,.0f} entrées/s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Collecte complète (analyse, dédoublonnage, étiquetage, écriture en base) : {n / total:,.0f} entrées/s"
            )
        )
        self.stdout.write(
            f"Seconde collecte du même flux (tout déjà connu, {again.known} ignorées) : {n / second:,.0f} entrées/s"
        )


def national_towns() -> list[tuple[str, str, str]]:
    """``(code_insee, nom, departement)`` of every ACV town and PVD commune in France."""
    towns = {}
    for name in ("acv_communes.csv", "pvd_communes.csv"):
        with (NATIONAL_DIR / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                towns[row["insee_code"]] = (row["insee_code"], row["name"], row["departement_code"])
    return list(towns.values())
