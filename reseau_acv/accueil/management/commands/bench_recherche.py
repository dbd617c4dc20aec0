"""Measure the search pages at national scale on PostgreSQL: the global page and the library.

    createdb -h 127.0.0.1 -U postgres reseau_acv_national
    DATABASE_URL=postgres://…/reseau_acv_national python manage.py migrate
    DATABASE_URL=postgres://…/reseau_acv_national python manage.py seed_scale --niveau national
    DATABASE_URL=postgres://…/reseau_acv_national python manage.py bench_recherche

The national data set (``seed_scale``: 50,000 resources, 5,000 experience sheets, 10,000
questions and their answers, 2,000 meetings, 500,000 press articles) is asked, as an anonymous
visitor, a project lead and staff (staff see every level and every draft: the widest scope),
queries of five kinds — common words, rare words, several words (thesaurus phrases and a
question typed as a person asks it), typos, questions whose words few documents hold together
(the correction and the relaxed query run too) — through the full Django stack (middleware, views,
templates, one database connection kept as in production). It prints p50 and p95 per page, per
role and per kind of query, the CPU time each search took (Django's process and its PostgreSQL
backend, read from ``/proc``: what the wall time would be on an idle machine, I/O aside), the
machine's load, the number of SQL statements, and which index each kind's search reads.
Everything runs in a transaction that is rolled back.
"""

from __future__ import annotations

import os
import statistics
import time
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings

from reseau_acv.accueil.scale import DOMAIN, NAMED
from reseau_acv.accueil.search import GROUPES
from reseau_acv.comptes.models import User
from reseau_acv.core.recherche import parse_text
from reseau_acv.core.recherche.moteur import plan_nodes, plans

VOLUMES = {
    "ressources_ressource": 50_000,
    "ressources_retourexperience": 5_000,
    "ressources_question": 10_000,
    "rencontres_rencontre": 2_000,
    "panorama_articlepresse": 500_000,
}
# Words of the national set (``scale.MOTS`` and the towns' names), by kind of query.
QUERIES = {
    "courant": ["commerces", "logements", "centre-ville", "projet"],
    "rare": ["Vierzon", "Chinon", "EPF", "Romorantin-Lanthenay"],
    "plusieurs mots": [
        "vacance commerciale",
        "réhabilitation logements vacants",
        "que faire des commerces fermés du centre-ville",
        "médiathèque Vierzon",
    ],
    "faute": ["stationement", "revitalisaton", "concertaton", "végétalistion"],
    # Typed as a person asks, with words few documents hold together: the correction and the
    # relaxed query (« voici les plus proches ») run too.
    "question": [
        "comment redonner vie aux rez-de-chaussée commerciaux",
        "trouver de l'argent pour recycler une friche",
        "lutter contre les îlots de chaleur",
        "réduire la place de la voiture en ville",
    ],
}
PAGES = {"globale": "/recherche/", "bibliotheque": "/ressources/"}
ROLES = ("anonyme", "chef", "equipe")
PLAN_QUERIES = ("commerces", "vacance commerciale")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) of a PostgreSQL backend on this machine, 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" pour {os.cpu_count()} cœurs"
    except OSError:
        return "inconnue"


def _count(statements: list[str], execute, sql, *args):
    statements.append(sql)
    return execute(sql, *args)


def _client(role: str) -> Client:
    client = Client()
    if role != "anonyme":
        user = User.objects.filter(email=f"{role}@{DOMAIN}").first()
        client.force_login(user or User.objects.create_user(f"{role}@{DOMAIN}", role=NAMED[role]))
    return client


class Command(BaseCommand):
    help = "Mesure les pages de recherche (globale, bibliothèque) à l'échelle nationale (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--repeter", type=int, default=5, help="Passages par requête et par rôle.")

    def handle(self, *args, repeter: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        counts = {table: self._count(table) for table in VOLUMES}
        self.stdout.write(
            "Volumes : " + ", ".join(f"{t.split('_', 1)[1]} {n:,}".replace(",", " ") for t, n in counts.items())
        )
        if counts["panorama_articlepresse"] < VOLUMES["panorama_articlepresse"] // 2:
            self.stdout.write(self.style.WARNING("Jeu incomplet : semez d'abord « seed_scale --niveau national »."))
        with (
            transaction.atomic(),
            override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]),
        ):
            self._plans()
            for name, path in PAGES.items():
                self._page(name, path, repeter)
            transaction.set_rollback(True)

    def _plans(self) -> None:
        """Which index each kind's search statements read (staff: the widest scope)."""
        for groupe in GROUPES:
            for text in PLAN_QUERIES:
                found = plans(groupe.index.model._base_manager.all(), groupe.index, parse_text(text))
                scans = set()
                for _sql, plan in found:
                    for node in plan_nodes(plan["Plan"]):
                        if node.get("Relation Name") == groupe.index.table:
                            scans.add(f"{node['Node Type']} {node.get('Index Name', '')}".strip())
                        elif node["Node Type"] == "Bitmap Index Scan":
                            scans.add(f"Bitmap Index Scan {node.get('Index Name', '')}")
                self.stdout.write(f"« {groupe.key} », « {text} » : {len(found)} requêtes — " + ", ".join(sorted(scans)))

    def _page(self, name: str, path: str, repeter: int) -> None:
        timings = []  # (wall ms, CPU ms, role, kind, text, SQL statements)
        backend = _backend_pid()
        for role in ROLES:
            client = _client(role)
            for kind, texts in QUERIES.items():
                for text in texts:
                    statements: list[str] = []
                    with connection.execute_wrapper(partial(_count, statements)):
                        response = client.get(path, {"q": text})  # warms the caches (thesaurus, plans)
                    if response.status_code != 200:
                        raise CommandError(f"{path}?q={text} : {response.status_code}")
                    for _ in range(repeter):
                        cpu = time.process_time() + _cpu_seconds(backend)
                        started = time.perf_counter()
                        client.get(path, {"q": text})
                        wall = (time.perf_counter() - started) * 1000
                        cpu = (time.process_time() + _cpu_seconds(backend) - cpu) * 1000
                        timings.append((wall, cpu, role, kind, text, len(statements)))
        values = [t[0] for t in timings]
        worst = max(timings)
        self.stdout.write(
            f"Page {name} ({path}) : p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms "
            f"sur {len(values)} recherches (pire {worst[0]:.0f} ms : « {worst[4]} », {worst[2]}, "
            f"{worst[5]} requêtes SQL) ; temps processeur (Django + PostgreSQL) p50 "
            f"{statistics.median(t[1] for t in timings):.0f} ms, p95 {percentile([t[1] for t in timings], 0.95):.0f} ms"
        )
        self.stdout.write(f"    {'':16}" + "".join(f"{role:>22}" for role in ROLES))
        for kind in QUERIES:
            cells = []
            for role in ROLES:
                per = [t for t in timings if t[2] == role and t[3] == kind]
                wall, cpu = [t[0] for t in per], [t[1] for t in per]
                cells.append(
                    f"{statistics.median(wall):.0f} / {percentile(wall, 0.95):.0f} ({percentile(cpu, 0.95):.0f})"
                )
            self.stdout.write(f"    {kind:16}" + "".join(f"{c:>22}" for c in cells))
        sql = [t[5] for t in timings]
        self.stdout.write(
            f"    (p50 / p95 ms, et entre parenthèses le p95 du temps processeur ; "
            f"requêtes SQL par page : {min(sql)} à {max(sql)} ; charge de la machine : {_load()})"
        )

    def _count(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our table names)
            return cursor.fetchone()[0]
