"""Measure the ingestion throughput: entries per second, parsing, de-duplication and tagging included,
with the matcher built against the national list of communes (ACV + PVD, about 1,850 names).

    python manage.py bench_ingestion --entrees 2000

Everything it writes is rolled back.
"""

import random
import time
from datetime import timedelta
from xml.sax.saxutils import escape

import feedparser
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from panorama import services
from panorama.matching import keyword_matcher, other_communes, town_matcher
from panorama.models import Source
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

    def handle(self, *args, **options):
        n = options["entrees"]
        towns = list(Ville.objects.filter(ville_appui=False).values_list("nom", flat=True))
        if not towns:
            raise CommandError("Aucune ville : lancez d'abord « manage.py import_villes ».")
        started = time.perf_counter()
        matcher = town_matcher()
        build = time.perf_counter() - started
        content = _feed(n, towns, options["graine"])

        started = time.perf_counter()
        parsed = feedparser.parse(content)
        parse = time.perf_counter() - started

        texts = [(e.title, e.get("summary", "")) for e in parsed.entries]
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
            parsed = feedparser.parse(content)
            report = services.ingest_entries(source=source, entries=list(parsed.entries))
            total = time.perf_counter() - started
            started = time.perf_counter()
            again = services.ingest_entries(source=source, entries=list(parsed.entries))
            second = time.perf_counter() - started
            transaction.set_rollback(True)

        self.stdout.write(
            f"Communes connues du matcher : {len(towns)} suivies + {len(other_communes())} ailleurs ; {matcher.size} formes écrites ; construction {build * 1000:.0f} ms"
        )
        self.stdout.write(f"Entrées : {n} ({report.created} articles créés, {report.merged} regroupés en histoires)")
        self.stdout.write(f"Analyse RSS (feedparser) seule : {n / parse:,.0f} entrées/s")
        self.stdout.write(f"Étiquetage seul (villes + règles) : {n / tagging:,.0f} entrées/s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Collecte complète (analyse, dédoublonnage, étiquetage, écriture en base) : {n / total:,.0f} entrées/s"
            )
        )
        self.stdout.write(
            f"Seconde collecte du même flux (tout déjà connu, {again.known} ignorées) : {n / second:,.0f} entrées/s"
        )
