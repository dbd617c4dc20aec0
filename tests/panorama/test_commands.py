"""Management commands: import of the sources, ingestion on demand, the throughput bench."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from panorama.models import ArticlePresse, RegleMotCle, Source
from tests.factories.panorama import SourceFactory

pytestmark = pytest.mark.django_db


def test_import_sources_and_default_rules(villes):
    """The import command creates the 23 reference sources and the default keyword rules."""
    out = StringIO()
    call_command("import_sources_presse", stdout=out)
    assert Source.objects.count() == 23
    assert RegleMotCle.objects.filter(motif="OPAH-RU", theme__slug="habitat").exists()
    assert RegleMotCle.objects.filter(motif="Petites villes de demain", programme__code="pvd").exists()
    assert "23 sources" in out.getvalue()


def test_ingest_command_reports_each_source(feed_server, villes):
    """« ingest_panorama » reads the due sources and says what each gave, errors included."""
    SourceFactory(url_flux=f"{feed_server}/rss")
    SourceFactory(url_flux=f"{feed_server}/malformed")
    out = StringIO()
    call_command("ingest_panorama", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "ok — 3 entrées, 3 nouvelles" in lines[0]
    assert "error" in lines[1]
    assert "mal formé" in lines[1]


def test_bench_command_runs_and_leaves_nothing_behind(villes):
    """The throughput bench prints its figures and rolls back everything it wrote."""
    out = StringIO()
    call_command("bench_ingestion", entrees=30, stdout=out)
    assert "entrées/s" in out.getvalue()
    assert "Collecte complète" in out.getvalue()
    assert ArticlePresse.objects.count() == 0
    assert not Source.objects.exists()


def test_bench_command_tracks_every_acv_and_pvd_town_of_france_with_national(db):
    """With --national the bench tracks the 1,851 towns of both programmes, matcher knowing every commune."""
    out = StringIO()
    call_command("bench_ingestion", entrees=30, national=True, stdout=out)
    assert "1851 suivies, 37545 noms de communes de France" in out.getvalue()
    assert ArticlePresse.objects.count() == 0


def test_tagging_quality_command_reports_precision_and_recall():
    """evaluer_etiquetage prints precision and recall for the development and held-out sets."""
    out = StringIO()
    call_command("evaluer_etiquetage", stdout=out)
    text = out.getvalue()
    assert "titres_etiquetes.csv : 323 titres, précision" in text
    assert "titres_etiquetes_reserve.csv : 110 titres" in text
    assert "Ensemble : 433 titres" in text


SOURCES_HEADER = "name,url,rss_url,departements,source\n"


def _import_file(tmp_path, text: str, name: str = "sources.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_sources_presse", str(path), stdout=out)
    return out.getvalue()


def test_import_sources_from_a_given_file(tmp_path, villes):
    """« import_sources_presse FILE » imports that file's sources, then updates them on a second run."""
    text = (
        SOURCES_HEADER
        + "Le Petit Solognot,https://petit-solognot.example,https://petit-solognot.example/rss,41,équipe\n"
    )
    assert "1 source de presse importée (1 créée, 0 mise à jour)" in _import_file(tmp_path, text)
    assert "(0 créée, 1 mise à jour)" in _import_file(tmp_path, text)
    assert Source.objects.get().departements_list == ["41"]


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (
            "Bon titre,https://a.example,https://a.example/rss,41,x\nMauvais,https://b.example,javascript:alert(1),41,x\n",
            [
                "sources.csv, ligne 3 : adresse du flux refusée : « javascript:alert(1) » n'est pas une adresse http:// ou https://"
            ],
        ),
        (
            "Court,https://a.example,https://a.example/rss,41\n",
            ["sources.csv, ligne 2 : 4 champs au lieu des 5 de l'en-tête"],
        ),
        (
            "Titre,https://a.example,https://a.example/rss,41,x\nTitre,https://a.example,https://a.example/rss,41,x\n",
            ["sources.csv, ligne 3 : ligne identique à la ligne 2"],
        ),
        (
            "Titre,https://a.example,https://a.example/rss,41,x\nTitre,https://b.example,https://b.example/rss,18,y\n",
            ["sources.csv, ligne 3 : name « Titre » déjà présent ligne 2"],
        ),
        (
            "Un,https://a.example,https://a.example/rss,41,x\nDeux,https://b.example,https://a.example/rss,18,y\n",
            ["sources.csv, ligne 3 : flux déjà donné ligne 2"],
        ),
        (
            "Titre,ftp://a.example,,99;Loiret,x\n",
            [
                "sources.csv, ligne 2 : adresse du site refusée : « ftp://a.example »",
                "sources.csv, ligne 2 : département inconnu : « 99 », « Loiret »",
            ],
        ),
        ("", ["sources.csv, ligne 1 : aucune ligne de données après l'en-tête"]),
    ],
)
def test_import_sources_checks_every_row_first_and_imports_nothing_on_error(tmp_path, villes, rows, messages):
    """A bad row (scheme, short row, duplicate, unknown département) refuses the whole file, with file and line."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        _import_file(tmp_path, SOURCES_HEADER + rows)
    print(f"\n{refused.value}")
    assert str(refused.value).startswith("Import annulé, rien n'a été importé")
    for message in messages:
        assert message in str(refused.value)
    assert not Source.objects.exists()
    assert not RegleMotCle.objects.exists()


def test_import_sources_lists_every_problem_in_the_file_line_order(tmp_path, villes):
    """Problems found by different checks (duplicates, short rows, addresses, départements) come in line order."""
    from django.core.management.base import CommandError

    rows = (
        "Un,https://a.example,https://a.example/rss,41,x\n"
        "Deux,https://b.example,javascript:alert(1),41,x\n"
        "Un,https://a.example,https://a.example/rss,41,x\n"
        "Trois,https://c.example,https://c.example/rss,99,x\n"
        "Court,https://d.example\n"
    )
    with pytest.raises(CommandError) as refused:
        _import_file(tmp_path, SOURCES_HEADER + rows)
    lines = [int(line) for line in re.findall(r"ligne (\d+) :", str(refused.value))]
    assert lines == [3, 4, 5, 6]
    assert lines == sorted(lines)


def test_import_sources_of_an_empty_file_exits_with_an_error(tmp_path):
    """Run as a program, an empty file is an error: non-zero exit and the reason on stderr."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_sources_presse", str(empty)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.test"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "vide.csv : le fichier est vide" in result.stderr
