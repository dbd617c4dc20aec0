"""Management commands: import of the sources, ingestion on demand, the throughput bench."""

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
