"""Measure every key page for each role: SQL queries, median and 95th-percentile time, HTML size.

    DATABASE_URL=postgres://…/reseau_acv_national python manage.py bench_pages
    python manage.py bench_pages --bases postgres://…/reseau_acv_regional postgres://…/reseau_acv_national

With ``--bases`` each database (seeded by ``seed_scale``) is measured by a child process of its
own, the children taking turns round by round (one round: every page once), so that a change in
the machine's load weighs on both scales alike; the results are printed side by side, with the
ratio of the last base's median to the first's. Requests go through Django's test client
in-process, with production-like settings (``DEBUG=False``). The named accounts are put in the same
situation at every scale first (a saved choice of e-mails, one waiting contribution of each kind),
so that a difference between the scales is the data's size, not one account's history; the
animation figures are computed first, as beat does. The framework floor is a trivial view (``/robots.txt``, a template
without a query of its own) measured in the same loop. Nothing is kept: the sessions the
measurement opens are rolled back.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from panorama.models import ArticlePresse, Edition
from rencontres.models import Rencontre
from reseau_acv.accueil.scale import DOMAIN, NAMED
from reseau_acv.accueil.stats import snapshot_refresh
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.visibility import Visibilite
from ressources.models import Question, Ressource, Statut
from villes.models import Ville

ROLES = ("anonyme", "partenaire", "chef", "equipe")
MEMBERS = ROLES[1:]
STAFF = ("equipe",)
FLOOR = "Plancher (vue triviale)"


@dataclass
class Result:
    page: str
    role: str
    url: str
    status: int = 0
    queries: int = 0
    size: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.times) if self.times else 0.0

    @property
    def p95(self) -> float:
        if len(self.times) < 2:
            return self.p50
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]


def _pages() -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, url, roles) for each key page, with objects of this database that everyone may see."""
    town = Ville.objects.filter(reseau_regional=True).order_by("nom").first() or Ville.objects.order_by("pk").first()
    public = {"statut": Statut.PUBLIE, "visibilite": Visibilite.PUBLIC}
    ressource = Ressource.objects.filter(**public).order_by("-publie_le").first()
    question = Question.objects.filter(**public).order_by("-publie_le").first()
    question_themes = (
        Question.objects.filter(**public, fermee=False, themes__isnull=False).order_by("-publie_le").first()
    )
    rencontre = (
        Rencontre.objects.upcoming().filter(statut=Rencontre.Statut.PUBLIEE, visibilite=Visibilite.PUBLIC).first()
    )
    article = ArticlePresse.objects.kept().filter(visibilite=Visibilite.PUBLIC).order_by("-publie_le").first()
    edition = Edition.objects.published().filter(visibilite=Visibilite.PARTENAIRES).order_by("-debut").first()
    membre = (
        User.objects.in_directory()
        .filter(pk__in=Ressource.objects.filter(**public).values("auteur_id"))
        .order_by("pk")
        .first()
    )
    pages = [
        (FLOOR, "/robots.txt", ROLES),
        ("Accueil", "/", ROLES),
        ("Tableau de bord", "/tableau-de-bord/", MEMBERS),
        ("Recherche « friche »", "/recherche/?q=friche", ROLES),
        ("Villes", "/villes/", ROLES),
        ("Carte", "/villes/carte/", ROLES),
        ("Annuaire", "/annuaire/", MEMBERS),
        ("Inviter (formulaire)", "/annuaire/inviter/", STAFF),
        ("Ressources", "/ressources/", ROLES),
        ("Proposer une ressource", "/ressources/proposer/", ("chef", "equipe")),
        ("Fiches d'expérience", "/ressources/retours/", ROLES),
        ("Questions", "/ressources/questions/", ROLES),
        ("Poser une question", "/ressources/questions/poser/", ("chef", "equipe")),
        ("File de modération", "/ressources/moderation/", STAFF),
        ("Agenda", "/rencontres/", ROLES),
        ("Plénières", "/rencontres/plenieres/", ROLES),
        ("Mes inscriptions", "/rencontres/mes-inscriptions/", MEMBERS),
        ("Panorama", "/panorama/", ROLES),
        ("Éditions", "/panorama/editions/", ROLES),
        ("File de tri", "/panorama/tri/", STAFF),
        ("Préférences de courriel", "/mon-compte/courriels/", MEMBERS),
        ("Mes contributions", "/mon-compte/contributions/", MEMBERS),
        ("Premiers pas", "/bienvenue/", MEMBERS),
        ("Animation", "/animation/", STAFF),
    ]
    if town:
        pages.append(("Page d'une ville", town.get_absolute_url(), ROLES))
        pages.append(("Carte d'un département", f"/villes/carte/{town.departement_code}/", ROLES))
    if ressource:
        pages.append(("Page d'une ressource", ressource.get_absolute_url(), ROLES))
    if question:
        pages.append(("Page d'une question", question.get_absolute_url(), ROLES))
    if question_themes:
        # Staff (and the asker) are shown who could answer: the suggestions are computed.
        pages.append(("Question : qui pourrait répondre", question_themes.get_absolute_url(), STAFF))
    if membre:
        pages.append(("Page d'un membre", reverse("accueil:membre", args=[membre.pk]), MEMBERS))
    if rencontre:
        pages.append(("Page d'une rencontre", rencontre.get_absolute_url(), ROLES))
    if article:
        pages.append(("Page d'un article", article.get_absolute_url(), ROLES))
    if edition:
        pages.append(("Page d'une édition", edition.get_absolute_url(), MEMBERS))
    return pages


def _member(role: str) -> User:
    """The seeded account of a role, or a new one (rolled back with the rest)."""
    user = User.objects.filter(email=f"{role}@{DOMAIN}").first()
    return user or User.objects.create_user(f"{role}@{DOMAIN}", role=NAMED[role])


def _clients() -> dict[str, Client]:
    clients = {"anonyme": Client()}
    for role in MEMBERS:
        clients[role] = Client()
        clients[role].force_login(_member(role))
    return clients


def _same_situation() -> None:
    """Each named member in the same situation at every scale (rolled back with the rest)."""
    from reseau_acv.accueil.models import Preferences
    from ressources.models import RetourExperience

    ville = Ville.objects.filter(reseau_regional=True).order_by("nom").first() or Ville.objects.order_by("pk").first()
    for role in MEMBERS:
        user = _member(role)
        Preferences.objects.get_or_create(user=user)
        if role == "partenaire":
            continue
        waiting = {"statut": Statut.BROUILLON, "auteur": user, "visibilite": Visibilite.RESEAU}
        Ressource.objects.create(titre="Brouillon de mesure", slug=f"mesure-{role}", **waiting)
        Question.objects.create(titre="Question de mesure", slug=f"mesure-{role}", **waiting)
        RetourExperience.objects.create(titre="Fiche de mesure", slug=f"mesure-{role}", ville=ville, **waiting)


def measure(*, repeat: int, only: list[str] | None = None, between=None) -> tuple[list[Result], dict]:
    """Every page × role: one warm-up round (status, queries, size), then ``repeat`` timed rounds.
    ``between`` is called before each round (the comparison's turn-taking)."""
    pages = [p for p in _pages() if not only or p[0] == FLOOR or p[0] in only]
    _same_situation()
    clients = _clients()
    snapshot_refresh()  # the animation figures, as beat computes them every quarter of an hour
    results = [Result(label, role, url) for label, url, roles in pages for role in roles]
    if between:
        between()
    for result in results:  # warm-up round: status, queries, size
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = clients[result.role].get(result.url)
        result.status = response.status_code
        result.queries = len(queries.captured_queries)
        result.size = len(response.content)
    for _ in range(repeat):
        if between:
            between()
        for result in results:
            if result.status != 200:
                continue
            started = time.perf_counter()
            clients[result.role].get(result.url)
            result.times.append((time.perf_counter() - started) * 1000)
    counts = {
        "villes": Ville.objects.count(),
        "membres": User.objects.count(),
        "ressources": Ressource.objects.count(),
        "articles": ArticlePresse.objects.count(),
        "rencontres": Rencontre.objects.count(),
        "equipe": User.objects.filter(role=Role.EQUIPE).count(),
    }
    return results, counts


def _kb(size: int) -> str:
    return f"{size / 1024:.0f}"


class Command(BaseCommand):
    help = "Mesure chaque page clé par rôle (requêtes, médiane, p95, taille du HTML), sur une ou plusieurs bases."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Nombre de tours de mesure.")
        parser.add_argument(
            "--bases", nargs="+", default=None, help="Adresses de bases à comparer (DATABASE_URL de chacune)."
        )
        parser.add_argument("--json", action="store_true", help="Résultats en JSON (pour la comparaison).")
        parser.add_argument("--sortie", default=None, help="Écrire aussi le tableau dans ce fichier.")
        parser.add_argument("--pages", nargs="+", default=None, help="Mesurer seulement ces pages (leurs libellés).")
        parser.add_argument("--tour-a-tour", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, repeat, bases, json, sortie, pages, tour_a_tour, **options):
        if bases:
            lines = self._compare(bases, repeat, pages)
        else:
            if connection.vendor != "postgresql":
                raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
            with (
                transaction.atomic(),
                override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]),
            ):
                results, counts = measure(repeat=repeat, only=pages, between=_wait_turn if tour_a_tour else None)
                transaction.set_rollback(True)
            if json:
                payload = {"counts": counts, "results": [asdict(r) for r in results]}
                self.stdout.write(_dumps(payload))
                return
            lines = self._table(results, counts)
        for line in lines:
            self.stdout.write(line)
        if sortie:
            with open(sortie, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")

    def _table(self, results: list[Result], counts: dict) -> list[str]:
        lines = [
            f"Base : {counts}",
            "",
            "| page | rôle | statut | requêtes | p50 ms | p95 ms | Ko |",
            "| --- " * 7 + "|",
        ]
        for r in results:
            lines.append(
                f"| {r.page} | {r.role} | {r.status} | {r.queries} | {r.p50:.1f} | {r.p95:.1f} | {_kb(r.size)} |"
            )
        return lines

    def _compare(self, bases: list[str], repeat: int, pages: list[str] | None) -> list[str]:
        children = []
        for url in bases:
            name = urlsplit(url).path.strip("/") or url
            errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed below, after the child) — the request log: a pipe nobody reads would fill
            child = subprocess.Popen(  # noqa: S603 (this very command, with our own arguments)
                ["/usr/bin/env", f"DATABASE_URL={url}", sys.executable, "manage.py", "bench_pages", "--json"]
                + ["--repeat", str(repeat), "--tour-a-tour"]
                + (["--pages", *pages] if pages else []),
                cwd=settings.BASE_DIR,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
            children.append((name, child, errors))
        payloads = {}
        try:
            for name, child, errors in children:
                _next_line(name, child, errors)  # ready for the warm-up round
            # Turn by turn: one child runs a round while the others wait, the warm-up round included.
            for turn in range(repeat + 1):
                self.stderr.write(f"Tour {turn} / {repeat}…")
                for name, child, errors in children:
                    child.stdin.write("go\n")
                    child.stdin.flush()
                    line = _next_line(name, child, errors)  # the round is over: ready again, or the results
                    if turn == repeat:
                        payloads[name] = _loads(line)
        finally:
            for _name, child, errors in children:
                if child.poll() is None:
                    child.kill()
                child.wait()
                errors.close()
        runs = [
            (name, payloads[name]["counts"], {(r["page"], r["role"]): Result(**r) for r in payloads[name]["results"]})
            for name, _child, _errors in children
        ]
        first, last = runs[0], runs[-1]
        names = " / ".join(name for name, _c, _r in runs)
        lines = [f"Bases : {names}"]
        lines += [f"- {name} : {counts}" for name, counts, _r in runs]
        lines += [
            "",
            f"| page | rôle | requêtes ({names}) | p50 ms | p95 ms | Ko | p50 {last[0]} / {first[0]} |",
            "| --- " * 7 + "|",
        ]
        worst = 0.0
        unequal = []
        for key, base in first[2].items():
            others = [run[2].get(key) for run in runs]
            if any(o is None for o in others):
                continue
            statuses = {o.status for o in others}
            if statuses != {200}:
                lines.append(f"| {key[0]} | {key[1]} | statut {' / '.join(str(o.status) for o in others)} | | | | |")
                continue
            ratio = others[-1].p50 / base.p50 if base.p50 else 0.0
            if key[0] != FLOOR:
                worst = max(worst, ratio)
            if len({o.queries for o in others}) > 1:
                unequal.append(key)
            lines.append(
                f"| {key[0]} | {key[1]} | {' / '.join(str(o.queries) for o in others)} "
                f"| {' / '.join(f'{o.p50:.0f}' for o in others)} | {' / '.join(f'{o.p95:.0f}' for o in others)} "
                f"| {' / '.join(_kb(o.size) for o in others)} | {ratio:.2f} |"
            )
        lines.append("")
        lines.append(f"Rapport p50 le plus haut (hors plancher) : {worst:.2f}.")
        lines.append(
            "Requêtes identiques partout."
            if not unequal
            else "Requêtes différentes : " + ", ".join(f"{p} ({r})" for p, r in unequal)
        )
        return lines


TURN = "a-mon-tour"


def _next_line(name: str, child: subprocess.Popen, errors) -> str:
    """The child's next word: its turn marker or its results (other output is skipped)."""
    while True:
        line = child.stdout.readline()
        if not line:
            child.wait()
            errors.seek(0)
            raise CommandError(f"{name} : {errors.read().strip()[-2000:]}")
        if line.strip() == TURN or line.startswith("{"):
            return line


def _wait_turn() -> None:
    """A child of the comparison: say it is ready for its next round, and wait to be told to go."""
    sys.stdout.write(TURN + "\n")
    sys.stdout.flush()
    sys.stdin.readline()


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)


def _loads(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])
