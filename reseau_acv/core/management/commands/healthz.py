"""The containers' own probe: the same checks as ``/healthz/``, exit code 1 if one fails.

manage.py healthz                             # every check
manage.py healthz --only database,broker,worker
"""

import json

from django.core.management.base import BaseCommand, CommandError

from reseau_acv.core.health import CHECKS, as_json, run_checks


class Command(BaseCommand):
    help = "Vérifie la base, le cache, le broker, le stockage et les battements de beat et des workers."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help=f"vérifications à faire, parmi : {', '.join(CHECKS)}")

    def handle(self, *args, only: str, **options):
        names = [name.strip() for name in only.split(",") if name.strip()]
        unknown = sorted(set(names) - set(CHECKS))
        if unknown:
            raise CommandError(f"Vérification inconnue : {', '.join(unknown)}")
        body = as_json(run_checks(names or None))
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        if body["status"] != "ok":
            raise CommandError(f"En échec : {', '.join(body['failed'])}", returncode=1)
