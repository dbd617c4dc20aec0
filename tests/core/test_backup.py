"""make backup / make restore: an archive restored into a fresh database gives the same rows and files.

Both engines are covered: PostgreSQL (pg_dump / pg_restore) and SQLite, the embedded default
(its online backup API). Restores run as the administrator would run them: ``manage.py restore``
in a separate process, pointed at a new, empty database and an empty media folder.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from reseau_acv.comptes.models import User
from ressources import services
from ressources.models import Ressource
from tests.factories.comptes import ChefDeProjetFactory
from tests.helpers import ROOT
from tests.ressources.conftest import PDF


def _manage(*args, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_pg_database():
    """A new, empty PostgreSQL database, dropped after the test."""
    name = f"reseau_acv_restore_{uuid.uuid4().hex[:8]}"
    admin = _pg_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_the_same_rows_and_files_into_a_fresh_database(
    settings, tmp_path, fresh_pg_database
):
    """Backup, then restore into a new database: the member, the resource and its file are all back."""
    settings.MEDIA_ROOT = tmp_path / "media"
    chef = ChefDeProjetFactory(email="lea.martin@blois.fr", last_name="Martin")
    ressource = services.ressource_create(
        actor=chef,
        data={"titre": "Étude OPAH-RU de Blois", "type": "etude", "visibilite": "reseau"},
        fichier=SimpleUploadedFile("etude.pdf", PDF, content_type="application/pdf"),
    )
    call_command("backup", "--dir", str(tmp_path / "backups"), "--keep", "3")
    [archive] = list((tmp_path / "backups").glob("reseau-acv-*.tar.gz"))
    with tarfile.open(archive) as content:
        names = content.getnames()
    assert {"manifest.json", "database.dump", f"media/{ressource.fichier.name}"} <= set(names)

    restored_media = tmp_path / "restored-media"
    result = _manage(
        "restore",
        str(archive),
        env={"DATABASE_URL": _pg_url(fresh_pg_database), "MEDIA_ROOT": str(restored_media)},
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(_pg_url(fresh_pg_database)) as conn:
        users = conn.execute("SELECT email, last_name FROM comptes_user").fetchall()
        titles = conn.execute("SELECT titre, fichier FROM ressources_ressource").fetchall()
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our table names)
            for table in ("comptes_user", "ressources_ressource", "ressources_fichierversion", "core_theme")
        }
    assert users == [("lea.martin@blois.fr", "Martin")]
    assert titles == [("Étude OPAH-RU de Blois", ressource.fichier.name)]
    assert counts == {
        "comptes_user": User.objects.count(),
        "ressources_ressource": Ressource.objects.count(),
        "ressources_fichierversion": 1,
        "core_theme": counts["core_theme"],
    }
    assert counts["core_theme"] > 0
    assert (restored_media / ressource.fichier.name).read_bytes() == PDF


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_members_unless_forced(settings, tmp_path):
    """Restoring over a database that has members is refused with a French message naming FORCE=1."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ChefDeProjetFactory()
    call_command("backup", "--dir", str(tmp_path), "--keep", "1")
    [archive] = list(tmp_path.glob("reseau-acv-*.tar.gz"))
    with pytest.raises(CommandError, match="FORCE=1"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_backup_keeps_only_the_last_n_archives(settings, tmp_path):
    """With --keep 2, older archives are removed and the two newest stay."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for stamp in ("20260101-010101", "20260102-010101", "20260103-010101"):
        (tmp_path / f"reseau-acv-{stamp}.tar.gz").write_bytes(b"ancienne")
    call_command("backup", "--dir", str(tmp_path), "--keep", "2")
    kept = sorted(p.name for p in tmp_path.glob("reseau-acv-*.tar.gz"))
    assert len(kept) == 2
    assert kept[0] == "reseau-acv-20260103-010101.tar.gz"


def test_sqlite_backup_restores_the_same_rows_and_files(tmp_path):
    """On the embedded default (SQLite), backup then restore into a new file gives the same rows and files."""
    source = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    assert _manage("migrate", "--noinput", env=source).returncode == 0
    seed = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "from reseau_acv.comptes.models import User\n"
        "User.objects.create_user(email='paul@gien.fr', last_name='Durand')\n"
        "default_storage.save('photos/membre-1.jpg', ContentFile(b'photo de Paul'))\n"
    )
    assert _manage("shell", "-v", "0", "-c", seed, env=source).returncode == 0
    result = _manage("backup", env=source)
    assert result.returncode == 0, result.stderr
    [archive] = list((tmp_path / "backups").glob("reseau-acv-*.tar.gz"))

    target = {"DATABASE_URL": f"sqlite:///{tmp_path / 'neuve.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "neuf")}
    result = _manage("restore", str(archive), env=target)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "neuve.sqlite3") as restored:
        assert restored.execute("SELECT email, last_name FROM comptes_user").fetchall() == [("paul@gien.fr", "Durand")]
        assert restored.execute("SELECT count(*) FROM core_theme").fetchone()[0] > 0
    assert (Path(target["MEDIA_ROOT"]) / "photos" / "membre-1.jpg").read_bytes() == b"photo de Paul"

    again = _manage("restore", str(archive), env=target)
    assert again.returncode != 0
    assert "FORCE=1" in again.stderr
