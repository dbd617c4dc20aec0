from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villes.services import REFERENCE_DIR, ReferenceImportError, villes_import_reference


class Command(BaseCommand):
    help = "Importe (ou met à jour) les villes ACV et les communes PVD depuis data/reference/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(REFERENCE_DIR), help="Dossier des fichiers de référence.")

    def handle(self, *args, **options):
        try:
            report = villes_import_reference(directory=Path(options["dir"]))
        except ReferenceImportError as error:
            raise CommandError(f"Import annulé, rien n'a été importé. {error}") from error
        except FileNotFoundError as error:
            raise CommandError(f"Import annulé, fichier introuvable : {error.filename}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} ville(s) créée(s), {report.updated} mise(s) à jour ; "
                f"ACV : {report.by_programme.get('acv', 0)}, PVD : {report.by_programme.get('pvd', 0)}."
            )
        )
