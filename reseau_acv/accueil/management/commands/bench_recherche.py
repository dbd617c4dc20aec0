"""Measure the search pages at national scale on PostgreSQL: the global page and the library.

    DATABASE_URL=postgres://… python manage.py bench_recherche --generer     # once: the national set
    DATABASE_URL=postgres://… python manage.py bench_recherche               # p50 / p95 per page

``--generer`` fills the database with the national volumes (50,000 resources, 5,000 experience
sheets, 10,000 questions with 20,000 answers, 2,000 meetings, 500,000 press articles) written in
SQL, and their search vectors, unless they are already there. It is a minimal generator of this
command's own, kept until ``seed_scale --niveau national`` fills the same volumes.

Each page is then asked every query as a project lead and as staff (staff see every level and
every draft: the widest scope), through the full Django stack (middleware, views, templates),
and the command prints p50 and p95 per page, the counts shown, and whether each kind's search
reads its GIN index.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reseau_acv.accueil.search import GROUPES
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.recherche import parse_text
from reseau_acv.core.recherche.moteur import explain_uses_index

VOLUMES = {
    "ressources_ressource": 50_000,
    "ressources_retourexperience": 5_000,
    "ressources_question": 10_000,
    "rencontres_rencontre": 2_000,
    "panorama_articlepresse": 500_000,
}
TRADE = [
    "commerce",
    "commerces",
    "commerciale",
    "vacance",
    "logement",
    "logements",
    "vacants",
    "habitat",
    "réhabilitation",
    "rénovation",
    "friche",
    "friches",
    "centre-ville",
    "centre",
    "ancien",
    "place",
    "marché",
    "halle",
    "stationnement",
    "parking",
    "vélo",
    "piste",
    "cyclable",
    "mobilité",
    "navette",
    "gare",
    "façade",
    "façades",
    "patrimoine",
    "ravalement",
    "OPAH-RU",
    "copropriété",
    "copropriétés",
    "propriétaires",
    "bailleurs",
    "Anah",
    "EPF",
    "foncier",
    "portage",
    "îlot",
    "dégradé",
    "ORT",
    "convention",
    "programme",
    "revitalisation",
    "PVD",
    "ACV",
    "DSIL",
    "DETR",
    "FEDER",
    "CRTE",
    "fonds",
    "relance",
    "subvention",
    "financement",
    "ingénierie",
    "chef",
    "projet",
    "comité",
    "pilotage",
    "concertation",
    "habitants",
    "boutique",
    "essai",
    "manager",
    "vitrine",
    "artisanat",
    "maison",
    "santé",
    "médecins",
    "France",
    "Services",
    "numérique",
    "végétalisation",
    "arbres",
    "chaleur",
    "transition",
    "écologique",
    "énergie",
    "isolation",
    "école",
    "équipement",
    "culture",
    "médiathèque",
]
SYLLABLES = ["ba", "ri", "lo", "mé", "tu", "san", "ver", "qui", "dor", "pel", "nac", "sti", "fon", "gra", "li"]
QUERIES = [
    "commerce",
    "vacance commerciale",
    "rehabilitation logements vacants",
    "friche",
    "EPF",
    "que faire des commerces fermés du centre-ville",
    "stationement",
    "médiathèque Vierzon",
    "xyzzy plugh",
]


def _words_sql() -> str:
    import random

    rng = random.Random(2026)  # noqa: S311 (reproducible bench data)
    filler = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(6000)}
    words = TRADE + sorted(filler)
    return "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


GENERATE = """
CREATE OR REPLACE FUNCTION pg_temp.phrase(n int) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT string_agg(w[1 + floor(power(random(), 2.2) * array_length(w, 1))::int], ' ')
  FROM (SELECT {words} AS w) v, generate_series(1, n)
$$;
CREATE OR REPLACE FUNCTION pg_temp.niveau() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT (ARRAY['public','partenaires','reseau','equipe'])[1 + floor(random() * 4)::int]
$$;
CREATE OR REPLACE FUNCTION pg_temp.statut() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN random() < 0.9 THEN 'publie' ELSE 'propose' END
$$;
"""
INSERTS = {
    "ressources_ressource": """
INSERT INTO ressources_ressource (cree_le, modifie_le, visibilite, statut, motif_moderation, titre, slug, resume,
  corps, type, fichier, fichier_nom, fichier_type, lien, source, publie_le)
SELECT now(), now(), pg_temp.niveau(), pg_temp.statut(), '', initcap(pg_temp.phrase(6)), 'echelle-r-' || g,
  pg_temp.phrase(25), pg_temp.phrase(120), 'guide', '', '', '', 'https://example.org/', '',
  now() - random() * interval '2000 days'
FROM generate_series(1, %(n)s) g""",
    "ressources_retourexperience": """
INSERT INTO ressources_retourexperience (cree_le, modifie_le, visibilite, statut, motif_moderation, titre, slug,
  contexte, difficulte, type_difficulte, leviers, type_levier, resultat, partenaires, contacts, ville_id, publie_le)
SELECT now(), now(), pg_temp.niveau(), pg_temp.statut(), '', initcap(pg_temp.phrase(6)), 'echelle-f-' || g,
  pg_temp.phrase(30), pg_temp.phrase(30), 'financement', pg_temp.phrase(30), 'partenariat', pg_temp.phrase(30),
  pg_temp.phrase(4), '', (SELECT id FROM villes_ville ORDER BY random() + g * 0 LIMIT 1),
  now() - random() * interval '2000 days'
FROM generate_series(1, %(n)s) g""",
    "ressources_question": """
INSERT INTO ressources_question (cree_le, modifie_le, visibilite, statut, motif_moderation, titre, slug, corps,
  epinglee, fermee, publie_le)
SELECT now(), now(), pg_temp.niveau(), 'publie', '', initcap(pg_temp.phrase(8)) || ' ?', 'echelle-q-' || g,
  pg_temp.phrase(40), false, false, now() - random() * interval '2000 days'
FROM generate_series(1, %(n)s) g""",
    "rencontres_rencontre": """
INSERT INTO rencontres_rencontre (cree_le, modifie_le, type, titre, resume, debut, fin, format, adresse,
  lien_visio, ordre_du_jour, compte_rendu, visibilite, statut, version)
SELECT now(), now(), 'seance_chefs', initcap(pg_temp.phrase(6)), pg_temp.phrase(30), d, d + interval '2 hours',
  'visio', '', '', pg_temp.phrase(20), pg_temp.phrase(60), pg_temp.niveau(), 'tenue', 0
FROM (SELECT g, now() - random() * interval '2000 days' AS d FROM generate_series(1, %(n)s) g) s""",
    "panorama_articlepresse": """
INSERT INTO panorama_articlepresse (cree_le, modifie_le, titre, empreinte, publie_le, statut, motifs, resume,
  visibilite)
SELECT now(), now(), initcap(pg_temp.phrase(9)), 'echelle ' || g, now() - random() * interval '2000 days',
  CASE WHEN random() < 0.7 THEN 'retenu' ELSE 'a_trier' END, '[]'::jsonb,
  CASE WHEN random() < 0.3 THEN pg_temp.phrase(20) ELSE '' END, pg_temp.niveau()
FROM generate_series(1, %(n)s) g""",
}
VECTORS = {
    "ressources_ressource": "setweight(to_tsvector('public.french_unaccent', titre), 'A') || "
    "setweight(to_tsvector('public.french_unaccent', resume), 'B') || "
    "setweight(to_tsvector('public.french_unaccent', corps), 'C')",
    "ressources_retourexperience": "setweight(to_tsvector('public.french_unaccent', titre), 'A') || "
    "setweight(to_tsvector('public.french_unaccent', difficulte || ' ' || leviers || ' ' || partenaires), 'B') || "
    "setweight(to_tsvector('public.french_unaccent', contexte || ' ' || resultat), 'C')",
    "ressources_question": "setweight(to_tsvector('public.french_unaccent', titre), 'A') || "
    "setweight(to_tsvector('public.french_unaccent', corps), 'B')",
    "rencontres_rencontre": "setweight(to_tsvector('public.french_unaccent', titre), 'A') || "
    "setweight(to_tsvector('public.french_unaccent', resume), 'B') || "
    "setweight(to_tsvector('public.french_unaccent', ordre_du_jour || ' ' || compte_rendu), 'C')",
    "panorama_articlepresse": "setweight(to_tsvector('public.french_unaccent', titre), 'A') || "
    "setweight(to_tsvector('public.french_unaccent', resume), 'B')",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Mesure les pages de recherche (globale, bibliothèque) à l'échelle nationale (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--generer", action="store_true", help="Créer d'abord le jeu national s'il manque.")
        parser.add_argument("--repeter", type=int, default=5, help="Passages par requête et par rôle.")

    def handle(self, *args, generer: bool, repeter: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        if generer:
            self._generate()
        counts = {table: self._count(table) for table in VOLUMES}
        self.stdout.write(
            "Volumes : " + ", ".join(f"{t.split('_', 1)[1]} {n:,}".replace(",", " ") for t, n in counts.items())
        )
        for groupe in GROUPES:
            for text in ("médiathèque", "commerce"):
                plan = explain_uses_index(groupe.index.model._base_manager.all(), groupe.index, parse_text(text))
                if f"{groupe.index.table}_recherche_gin" in plan:
                    how = "index GIN"
                elif "Index Scan" in plan:
                    how = "index de la clé, du plus récent au plus ancien (mot courant)"
                else:
                    how = "lecture séquentielle (table petite)" if "Seq Scan" in plan else plan.splitlines()[0]
                self.stdout.write(f"« {groupe.key} », « {text} » : {how}")
        lead = User.objects.filter(role=Role.CHEF_DE_PROJET, is_active=True).first() or User.objects.create_user(
            "bench-recherche-chef@reseau-acv.test", role=Role.CHEF_DE_PROJET
        )
        staff = User.objects.filter(role=Role.EQUIPE, is_active=True).first() or User.objects.create_user(
            "bench-recherche-equipe@reseau-acv.test", role=Role.EQUIPE
        )
        pages = {"globale": "/recherche/", "bibliotheque": "/ressources/"}
        for name, path in pages.items():
            timings = []
            for user in (lead, staff):
                client = Client(HTTP_HOST="localhost")
                client.force_login(user)
                for text in QUERIES:
                    client.get(path, {"q": text})  # warm the caches (thesaurus, plans)
                    for _ in range(repeter):
                        with CaptureQueriesContext(connection) as queries:
                            start = time.perf_counter()
                            response = client.get(path, {"q": text})
                            elapsed = (time.perf_counter() - start) * 1000
                        if response.status_code != 200:
                            raise CommandError(f"{path}?q={text} : {response.status_code}")
                        timings.append((elapsed, text, user.role, len(queries)))
            values = [t[0] for t in timings]
            worst = max(timings)
            self.stdout.write(
                f"Page {name} : p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms "
                f"(pire {worst[0]:.0f} ms pour « {worst[1]} », {worst[2]}, {worst[3]} requêtes SQL) "
                f"sur {len(values)} recherches"
            )
            for text in QUERIES:
                per = [t[0] for t in timings if t[1] == text]
                self.stdout.write(
                    f"    « {text} » : p50 {statistics.median(per):.0f} ms, p95 {percentile(per, 0.95):.0f} ms"
                )

    def _count(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our table names)
            return cursor.fetchone()[0]

    def _generate(self) -> None:
        from django.core.management import call_command

        from reseau_acv.core.recherche.texte import STOP_WORDS, fold
        from villes.models import Ville

        if not Ville.objects.exists():
            call_command("import_villes", stdout=self.stdout)
        with connection.cursor() as cursor:
            cursor.execute(GENERATE.replace("{words}", _words_sql()))
            for table, wanted in VOLUMES.items():
                have = self._count(table)
                if have >= wanted:
                    continue
                start = time.perf_counter()
                cursor.execute(INSERTS[table], {"n": wanted - have})
                cursor.execute(f"UPDATE {table} SET recherche = {VECTORS[table]} WHERE recherche IS NULL")  # noqa: S608
                self.stdout.write(
                    f"{table} : {wanted - have} lignes créées et indexées en {time.perf_counter() - start:.0f} s"
                )
                if table == "ressources_question":
                    cursor.execute(
                        "INSERT INTO ressources_message (cree_le, modifie_le, corps, masque, motif_masquage, question_id) "
                        "SELECT now(), now(), pg_temp.phrase(30), false, '', q.id "
                        "FROM ressources_question q, generate_series(1, 2) WHERE q.slug LIKE 'echelle-q-%%'"
                    )
            words = {fold(w) for w in _words_sql()[6:-1].replace("'", "").split(",")}
            cursor.executemany(
                "INSERT INTO core_motindexe (mot) VALUES (%s) ON CONFLICT DO NOTHING",
                [(w,) for w in sorted(words) if len(w) >= 4 and w not in STOP_WORDS and len(w) <= 40],
            )
            for table in VOLUMES:
                cursor.execute(f"ANALYZE {table}")
