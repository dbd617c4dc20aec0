"""``make restore FILE=…``: restore an archive of ``make backup`` into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reseau_acv.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base vide (--force pour écraser une base qui a des données)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="écraser une base qui contient des données")

    def handle(self, *args, file: str, force: bool, **options):
        try:
            result = backup_restore(path=Path(file), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restauré : {result['lignes']} lignes et {result['fichiers']} fichiers (sauvegarde du {result['cree_le']})"
        )
