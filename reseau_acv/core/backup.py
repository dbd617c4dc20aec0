"""Backups: one dated archive of the database and the media; a restore into an empty database.

An archive ``reseau-acv-YYYYMMDD-HHMMSS.tar.gz`` holds ``manifest.json`` (date, database engine,
row counts per table), the database — ``database.dump`` (``pg_dump`` custom format) on
PostgreSQL, ``database.sqlite3`` (SQLite's online backup API) on the embedded default — and
``media/`` with every stored file (read through the storage, so S3 works too).
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

PREFIX = "reseau-acv-"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in French."""


@dataclass(frozen=True)
class Archive:
    path: Path
    tables: int
    rows: int
    files: int


def _pg_conninfo() -> str:
    """The configured database as a libpq connection string (password included, never on argv alone)."""
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    return make_conninfo(
        host=db.get("HOST") or "127.0.0.1",
        port=str(db.get("PORT") or 5432),
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname=db["NAME"],
    )


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


def _storage_files(path: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}{name}" for name in files]
    for folder in folders:
        found += _storage_files(f"{path}{folder}/")
    return found


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        out = target / "database.dump"
        result = subprocess.run(  # noqa: S603 (pg_dump with the configured database's parameters)
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(out), "--dbname", _pg_conninfo()],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target / "database.sqlite3")
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        return "sqlite"
    raise BackupError(f"Moteur de base non pris en charge : {connection.vendor}")


def backup_create(*, directory: Path, keep: int) -> Archive:
    """Write one archive into ``directory`` and keep only the ``keep`` most recent ones."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"{PREFIX}{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        engine = _dump_database(work_path)
        counts = _row_counts()
        files = _storage_files()
        manifest = {
            "cree_le": timezone.now().isoformat(),
            "moteur": engine,
            "lignes": counts,
            "fichiers": len(files),
        }
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for item in work_path.iterdir():
                archive.add(item, arcname=item.name)
            for name in files:
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
        partial.rename(path)
    for old in sorted(directory.glob(f"{PREFIX}*.tar.gz"))[:-keep] if keep > 0 else []:
        old.unlink()
    return Archive(path, len(counts), sum(counts.values()), len(files))


def database_is_empty() -> bool:
    """No member account exists: a new database, created or only migrated (its reference data
    — themes, towns — comes back from the archive anyway)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model._meta.db_table not in connection.introspection.table_names():
        return True
    return not user_model._base_manager.exists()


def _member(archive: tarfile.TarFile, name: str):
    try:
        return archive.getmember(name)
    except KeyError:
        return None


def backup_restore(*, path: Path, force: bool = False) -> dict:
    """Restore an archive into the configured database and storage.

    Refuses a database that holds members' data unless ``force`` (its tables are then replaced).
    """
    if not path.is_file():
        raise BackupError(f"Archive introuvable : {path}")
    if not force and not database_is_empty():
        raise BackupError(
            "La base de destination n'est pas vide : la restauration la remplacerait. "
            "Restaurez dans une base vide, ou relancez avec FORCE=1 (--force) pour l'écraser."
        )
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        manifest_member = _member(archive, "manifest.json")
        if manifest_member is None:
            raise BackupError("Ce fichier n'est pas une sauvegarde de la plateforme (manifest.json absent).")
        manifest = json.load(archive.extractfile(manifest_member))
        if manifest["moteur"] != connection.vendor:
            raise BackupError(
                f"Cette sauvegarde vient de {manifest['moteur']} ; la base configurée est {connection.vendor}."
            )
        if manifest["moteur"] == "postgresql":
            archive.extract("database.dump", work, filter="data")
            _restore_postgresql(Path(work) / "database.dump")
        else:
            archive.extract("database.sqlite3", work, filter="data")
            _restore_sqlite(Path(work) / "database.sqlite3")
        restored = 0
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                name = member.name.removeprefix("media/")
                if default_storage.exists(name):
                    default_storage.delete(name)
                saved = default_storage.save(name, ContentFile(archive.extractfile(member).read()))
                if saved != name:
                    raise BackupError(f"Le fichier {name} n'a pas pu reprendre son nom ({saved}).")
                restored += 1
    return {"lignes": sum(manifest["lignes"].values()), "fichiers": restored, "cree_le": manifest["cree_le"]}


def _restore_postgresql(dump: Path) -> None:
    connection.close()
    options = ["--clean", "--if-exists"]  # a migrated but empty database has the tables already
    result = subprocess.run(  # noqa: S603 (pg_restore with the configured database's parameters)
        [  # noqa: S607 (the PostgreSQL client found on PATH, as the administrator runs it)
            "pg_restore",
            *options,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            _pg_conninfo(),
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore a échoué : {result.stderr.strip()[:2000]}")


def _restore_sqlite(source: Path) -> None:
    target = settings.DATABASES["default"]["NAME"]
    connection.close()
    if str(target) in {":memory:", ""}:
        raise BackupError("La base SQLite configurée est en mémoire : rien où restaurer.")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{target}.restauration")
    shutil.copyfile(source, tmp)
    src = sqlite3.connect(tmp)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
        tmp.unlink()
