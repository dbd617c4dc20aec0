"""Load a data set at regional or national scale, to measure the pages at real size.

    createdb -h 127.0.0.1 -U postgres reseau_acv_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reseau_acv_national python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reseau_acv_national python manage.py seed_scale --niveau national

Use a database of its own: the command refuses a database that already holds other content
(``--reset`` empties it first), does nothing if the database is already seeded at that level,
and is refused in production (``DEMO_ALLOWED=false``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reseau_acv.accueil import scale
from reseau_acv.core.models import Theme


class Command(BaseCommand):
    help = "Charge un jeu de données à l'échelle régionale ou nationale (base dédiée, refusé en production)."

    def add_arguments(self, parser):
        parser.add_argument("--niveau", choices=sorted(scale.NIVEAUX), required=True)
        parser.add_argument(
            "--reset", action="store_true", help="Vider d'abord la base (tout sauf les thèmes), puis semer."
        )
        parser.add_argument("--graine", type=int, default=2026, help="Graine du générateur (données reproductibles).")
        parser.add_argument(
            "--facteur", type=float, default=1.0, help="Multiplier les volumes (ex. 0.01 pour un essai rapide)."
        )

    def handle(self, *args, niveau: str, reset: bool, graine: int, facteur: float, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError("seed_scale est refusé en production (DEMO_ALLOWED=false).")
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale demande PostgreSQL (DATABASE_URL=postgres://…).")
        if not Theme.objects.exists():
            raise CommandError("Aucun thème : lancez d'abord « manage.py migrate ».")
        if reset:
            scale.reset()
            self.stdout.write("Base vidée (les thèmes restent).")
        else:
            level = scale.seeded_level()
            if level == niveau:
                self.stdout.write(f"Déjà semée au niveau {niveau} : rien à faire (--reset pour recommencer).")
                return
            if level is not None or scale.has_content():
                raise CommandError(
                    "La base contient déjà des données : semez une base dédiée "
                    "(DATABASE_URL=…/reseau_acv_national) ou ajoutez --reset pour la vider."
                )
        target = scale.NIVEAUX[niveau].scaled(facteur) if facteur != 1 else scale.NIVEAUX[niveau]
        self.stdout.write(f"Niveau {niveau} : {target}")
        started = time.perf_counter()
        scale.Seeder(target, graine=graine, say=self.stdout.write).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Semée en {time.perf_counter() - started:.0f} s. Comptes (mot de passe « {scale.PASSWORD} ») : "
                + ", ".join(f"{name}@{scale.DOMAIN}" for name in scale.NAMED)
            )
        )
