from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from reseau_acv.core.csvimport import CsvImportError, import_failure_message
from villes.services import REFERENCE_DIR, villes_import_reference


class Command(BaseCommand):
    help = (
        "Importe (ou met à jour) les villes ACV et les communes PVD depuis data/reference/. Chaque ligne "
        "est vérifiée avant toute écriture ; à la moindre erreur, rien n'est importé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(REFERENCE_DIR), help="Dossier des fichiers de référence.")

    def handle(self, *args, **options):
        directory = Path(options["dir"])
        try:
            report = villes_import_reference(directory=directory)
        except CsvImportError as error:
            raise CommandError(f"{import_failure_message(error)}\n(dossier : {directory})") from error
        created = ngettext("%(n)s ville créée", "%(n)s villes créées", report.created) % {"n": report.created}
        updated = ngettext("%(n)s mise à jour", "%(n)s mises à jour", report.updated) % {"n": report.updated}
        acv, pvd = report.by_programme.get("acv", 0), report.by_programme.get("pvd", 0)
        self.stdout.write(self.style.SUCCESS(f"{created}, {updated} ; ACV : {acv}, PVD : {pvd}."))
