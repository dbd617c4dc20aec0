from django.core.management.base import BaseCommand

from panorama import selectors, services
from panorama.models import Source


class Command(BaseCommand):
    help = "Relève les flux des sources de presse (celles dont la collecte est due, ou toutes avec --toutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--toutes", action="store_true", help="Relever toutes les sources actives, même en attente."
        )
        parser.add_argument("--source", type=int, action="append", help="Identifiant d'une source (répétable).")

    def handle(self, *args, **options):
        if options["source"]:
            ids = options["source"]
        elif options["toutes"]:
            ids = list(Source.objects.filter(actif=True).exclude(url_flux="").values_list("pk", flat=True))
        else:
            ids = selectors.sources_due()
        for source_id in ids:
            report = services.ingest_source(source_id=source_id, force=bool(options["toutes"] or options["source"]))
            line = (
                f"source {source_id}: {report.status} — {report.entries} entrées, {report.created} nouvelles, "
                f"{report.merged} regroupées, {report.known} déjà connues"
            )
            if report.error:
                line += f" — {report.error}"
            self.stdout.write(line)
