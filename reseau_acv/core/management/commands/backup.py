"""``make backup``: one dated archive of the database and the media under var/backups/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reseau_acv.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sauvegarde la base et les fichiers déposés dans une archive datée (garde les N dernières)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BACKUP_DIR), help="dossier des archives")
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP, help="nombre d'archives gardées")

    def handle(self, *args, dir: str, keep: int, **options):  # noqa: A002 (the option's name)
        try:
            archive = backup_create(directory=Path(dir), keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Sauvegarde écrite : {archive.path} ({archive.rows} lignes dans {archive.tables} tables, "
            f"{archive.files} fichiers)"
        )
