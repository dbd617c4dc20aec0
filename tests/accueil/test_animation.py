"""The animation dashboard at national scale: figures computed by a periodic task, read from the
cache by the page, gathered by département and région when towns are too many to read."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rencontres.models import Inscription, Rencontre
from reseau_acv.accueil import stats
from reseau_acv.accueil.tasks import animation_refresh_task
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut
from tests.factories.villes import VilleFactory
from villes.models import Mission, Ville
from villes.services import villes_import_national

from .conftest import make_retour

pytestmark = pytest.mark.django_db
CONTENT_TABLES = ("rencontres_", "ressources_", "panorama_", "villes_", "accueil_envoidigest")


def _national_volume() -> None:
    """Every ACV town and PVD commune of France, a resource about each, and a registered lead in each."""
    villes_import_national()
    villes = list(Ville.objects.order_by("pk"))
    ressources = Ressource.objects.bulk_create(
        Ressource(
            titre=f"Ressource {v.pk}",
            slug=f"ressource-{v.pk}",
            statut=Statut.PUBLIE,
            visibilite=Visibilite.RESEAU,
            publie_le=timezone.now(),
        )
        for v in villes
    )
    Ressource.villes.through.objects.bulk_create(
        Ressource.villes.through(ressource_id=r.pk, ville_id=v.pk) for r, v in zip(ressources, villes, strict=True)
    )
    leads = User.objects.bulk_create(
        User(email=f"chef-{v.pk}@exemple.fr", role=Role.CHEF_DE_PROJET, password="!") for v in villes
    )
    Mission.objects.bulk_create(Mission(personne=u, ville=v) for u, v in zip(leads, villes, strict=True))
    debut = timezone.now() - timedelta(days=3)
    rencontre = Rencontre.objects.create(
        titre="Plénière nationale", debut=debut, fin=debut + timedelta(hours=3), statut=Rencontre.Statut.TENUE
    )
    Inscription.objects.bulk_create(
        Inscription(rencontre=rencontre, membre=u, statut=Inscription.Statut.INSCRIT, present=i % 2 == 0)
        for i, u in enumerate(leads)
    )


def test_at_national_scale_towns_are_gathered_by_region_with_the_departements_as_detail(client, equipe):
    """With 1,850 towns, the per-town figures show one row per région (a chart that can be read),
    every département that has towns in the detail table, and the page stays under 200 KB."""
    _national_volume()
    stats.snapshot_refresh()
    client.force_login(equipe)
    response = client.get(reverse("accueil:animation-dashboard"))
    page = response.content.decode()
    assert len(response.content) < 200_000
    contributions = next(c for c in stats.snapshot_get().charts if c.key == "contributions-villes")
    assert contributions.label_header == "Région"
    assert len(contributions.rows) == 18
    assert len(contributions.detail_rows) == Ville.objects.values("departement_code").distinct().count() == 97
    assert sum(values[0] for _label, values in contributions.rows) == Ville.objects.count()
    assert "Détail par département" in page
    assert 'scope="row">Cher (18)</th>' in page
    participation = next(c for c in stats.snapshot_get().charts if c.key == "participation-villes")
    assert sum(values[0] for _label, values in participation.rows) == Ville.objects.count()
    csv = client.get(reverse("accueil:animation-export", kwargs={"key": "contributions-villes"}))
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("Département;")


def test_a_few_towns_keep_one_row_each():
    """With a handful of towns (the regional network), each keeps its own row."""
    for nom in ("Gien", "Vierzon", "Blois"):
        make_retour("Un retour", ville=VilleFactory(nom=nom))
    chart = next(c for c in stats.all_charts() if c.key == "contributions-villes")
    assert chart.label_header == "Ville"
    assert sorted(label for label, _values in chart.rows) == ["Blois", "Gien", "Vierzon"]
    assert chart.detail_rows == []


def test_the_page_reads_the_snapshot_and_walks_no_table(client, equipe):
    """Once the periodic task has run, the page runs the same few queries for 1 or 50 towns of data,
    and none of them reads the content tables: the figures come from the cache."""
    client.force_login(equipe)
    make_retour("Un retour", ville=VilleFactory())
    animation_refresh_task.apply()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accueil:animation-dashboard"))
    for _i in range(49):
        make_retour("Un retour", ville=VilleFactory())
    animation_refresh_task.apply()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("accueil:animation-dashboard")).content.decode()
    assert len(many) == len(one)
    tables = [q["sql"] for q in many.captured_queries if any(t in q["sql"] for t in CONTENT_TABLES)]
    assert tables == []
    assert "Chiffres calculés le" in page


def test_the_figures_are_refreshed_by_beat_and_on_demand(client, equipe):
    """Beat recomputes the figures every quarter of an hour; staff may ask for it at once."""
    assert settings.CELERY_BEAT_SCHEDULE["accueil.animation_refresh"]["task"] == "accueil.animation_refresh"
    client.force_login(equipe)
    client.get(reverse("accueil:animation-dashboard"))
    before = stats.snapshot_get().calcule_le
    make_retour("Un retour", ville=VilleFactory(nom="Issoudun"))
    assert "Issoudun" not in client.get(reverse("accueil:animation-dashboard")).content.decode()
    response = client.post(reverse("accueil:animation-dashboard"))
    assert response.status_code == 302
    assert stats.snapshot_get().calcule_le > before
    assert "Issoudun" in client.get(reverse("accueil:animation-dashboard")).content.decode()


def test_the_charts_are_drawn_when_the_figures_are_computed(client, equipe, monkeypatch):
    """The drawings and tables are made with the figures: a visit only sends them (no drawing per visit)."""
    from reseau_acv.accueil import charts

    make_retour("Un retour", ville=VilleFactory(nom="Issoudun"))
    animation_refresh_task.apply()

    def no_drawing(*args, **kwargs):
        raise AssertionError("a chart drawn during a visit")

    monkeypatch.setattr(charts, "bar_chart_svg", no_drawing)
    client.force_login(equipe)
    page = client.get(reverse("accueil:animation-dashboard")).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 1
    assert '<th scope="row">Issoudun</th>' in page
    assert 'href="/animation/contributions-villes.csv"' in page
