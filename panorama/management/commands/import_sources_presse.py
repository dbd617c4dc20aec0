import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from panorama import services
from panorama.services.sources import SOURCES_CSV
from reseau_acv.core.csvimport import CsvImportError, import_failure_message


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les sources de presse d'un fichier CSV (par défaut "
        "data/reference/press_sources_centre_val_de_loire.csv ; « - » lit l'entrée standard). Chaque ligne "
        "est vérifiée avant toute écriture ; à la moindre erreur, rien n'est importé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fichier",
            nargs="?",
            default=str(SOURCES_CSV),
            help="Fichier CSV (colonnes name, url, rss_url, departements, source).",
        )

    def handle(self, *args, fichier, **options):
        try:
            if fichier == "-":
                report = services.sources_import(source=sys.stdin.buffer.read(), filename="entrée standard")
            else:
                path = Path(fichier)
                if not path.is_file():
                    raise CommandError(f"{fichier} : fichier introuvable.")
                report = services.sources_import(source=path)
        except CsvImportError as error:
            raise CommandError(import_failure_message(error)) from error
        rules = services.regles_seed_defaults()
        sources = ngettext("%(n)s source de presse importée", "%(n)s sources de presse importées", report.count) % {
            "n": report.count
        }
        detail = ngettext("%(n)s créée", "%(n)s créées", report.created) % {"n": report.created}
        updated = ngettext("%(n)s mise à jour", "%(n)s mises à jour", report.updated) % {"n": report.updated}
        rules_text = ngettext("%(n)s règle de mots-clés créée", "%(n)s règles de mots-clés créées", rules) % {
            "n": rules
        }
        self.stdout.write(self.style.SUCCESS(f"{sources} ({detail}, {updated}) ; {rules_text}."))
