"""Measure the relevance of the search on the project's labelled set, per backend and per page.

    DATABASE_URL=postgres://… python manage.py bench_pertinence            # PostgreSQL and SQLite
    python manage.py bench_pertinence --backend sqlite                      # SQLite only

For each backend it loads the labelled corpus (``reseau_acv/accueil/pertinence/``) in a
transaction that is rolled back, asks the global page and the library page every query as a
project lead, and prints nDCG@10, P@5, the zero-result rate and the noise, next to a plain
BM25 baseline computed in the same run. The held-out queries (« reservee », « reservee-2 ») are
printed apart, as aggregates per category only (``--details`` lists the worst-served queries of
the tuning part alone): they are never used to tune the engine. SQLite runs in a child process
on a fresh temporary database (the embedded default, as ``make run`` has it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from reseau_acv.accueil.pertinence import evaluation

BACKENDS = ("postgresql", "sqlite")


def measure_here(*, limit: int | None = None) -> dict:
    """Run the bench in the current database, rolled back at the end."""
    with transaction.atomic():
        report = evaluation.run(limit=limit)
        transaction.set_rollback(True)
    return report


def measure_sqlite(*, limit: int | None = None) -> dict:
    """Run the bench in a child process on a fresh SQLite database (migrated first)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,  # noqa: convention (the child process gets our environment, with its own database)
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'pertinence.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.local",
        }
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_pertinence", "--json"]
        command += ["--backend", "sqlite", "--migrer"] + (["--limite", str(limit)] if limit else [])
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=900)  # noqa: S603 (our own manage.py)
        if done.returncode != 0:
            raise CommandError(f"Le banc SQLite a échoué :\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


class Command(BaseCommand):
    help = "Mesure la pertinence de la recherche (nDCG@10, P@5, sans résultat, bruit) face à une base BM25."

    def add_arguments(self, parser):
        parser.add_argument("--backend", choices=[*BACKENDS, "tous"], default="tous")
        parser.add_argument(
            "--limite", type=int, default=None, help="Seulement les N premières requêtes de chaque partie."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Une ligne JSON (pour le processus parent)."
        )
        parser.add_argument("--migrer", action="store_true", help="Migrer d'abord la base (SQLite temporaire).")
        parser.add_argument("--details", action="store_true", help="Les requêtes de réglage les moins bien servies.")

    def handle(self, *args, backend: str, limite: int | None, as_json: bool, migrer: bool, details: bool, **options):
        if migrer:
            call_command("migrate", verbosity=0, interactive=False)
        here = connection.vendor
        wanted = BACKENDS if backend == "tous" else (backend,)
        reports = {}
        for name in wanted:
            if name == here:
                reports[name] = measure_here(limit=limite)
            elif name == "sqlite":
                reports[name] = measure_sqlite(limit=limite)
            elif backend == "tous":
                self.stdout.write(f"PostgreSQL non mesuré : la base configurée est {here} (DATABASE_URL=postgres://…).")
            else:
                raise CommandError("Cette mesure demande PostgreSQL (DATABASE_URL=postgres://…).")
        if as_json:
            self.stdout.write(json.dumps(reports[wanted[0]] if len(wanted) == 1 else reports))
            return
        self._print(reports, details=details)

    def _print(self, reports: dict, *, details: bool) -> None:
        header = (
            f"{'base':<11}{'partie/page':<24}{'':<8}{'nDCG@10':>8}{'P@5':>7}{'zéro':>7}{'bruit':>7}{'requêtes':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, report in reports.items():
            for key, pair in report.items():
                for label in ("moteur", "bm25"):
                    s = pair[label]
                    self.stdout.write(
                        f"{name:<11}{key:<24}{label:<8}{s['ndcg']:>8.3f}{s['p5']:>7.3f}"
                        f"{s['zero'] * 100:>6.0f}%{s['noise'] * 100:>6.0f}%{s['n_queries']:>10}"
                    )
                cats = ", ".join(f"{c} {v:.2f}" for c, v in pair["moteur"]["by_category"].items())
                self.stdout.write(f"{'':<11}{'':<24}par catégorie : {cats}")
                if details and key.startswith(f"{evaluation.TUNING}/"):  # never the held-out queries
                    misses = ", ".join(f"« {q} » {v:.2f}" for q, v in pair["moteur"]["misses"])
                    self.stdout.write(f"{'':<11}{'':<24}les moins bien servies : {misses}")
