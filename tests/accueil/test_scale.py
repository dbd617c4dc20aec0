"""seed_scale loads a national data set fast and repeatably; bench_pages measures every key page per role."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from panorama.models import ArticlePresse, Edition, Parution
from rencontres.models import Inscription, Rencontre
from reseau_acv.comptes.models import User
from ressources.models import Message, Question, Ressource, RetourExperience
from villes.models import Ville

pytestmark = pytest.mark.django_db


def _seed(*extra, niveau="regional") -> str:
    """A small set: the level's towns, and its content at 2 % (regional) or 0.2 % (national)."""
    out = StringIO()
    facteur = "0.002" if niveau == "national" else "0.02"
    call_command("seed_scale", "--niveau", niveau, "--facteur", facteur, *extra, stdout=out)
    return out.getvalue()


def test_national_seed_loads_every_town_of_the_programmes_and_the_generated_content():
    """The national set holds the 244 ACV towns and 1,606 PVD communes, and content in the asked proportions."""
    _seed(niveau="national")
    assert Ville.objects.of_programme("acv").count() == 244
    assert Ville.objects.of_programme("pvd").count() == 1606
    assert Ville.objects.filter(reseau_regional=True).count() == 13
    assert Ville.objects.count() == 1850
    assert User.objects.count() == 10
    assert Ressource.objects.count() == 100
    assert RetourExperience.objects.count() == 10
    assert Question.objects.count() == 20
    assert Message.objects.count() > 0
    assert Rencontre.objects.count() == 4
    assert Inscription.objects.exists()
    assert ArticlePresse.objects.count() == 1000
    assert Parution.objects.count() >= 1000
    assert Edition.objects.exists()


def test_press_has_a_realistic_share_of_kept_articles():
    """About one article in ten is kept: most of what ingestion brings in is out of scope or set aside."""
    _seed()
    assert ArticlePresse.objects.count() == 700
    kept = ArticlePresse.objects.kept().count()
    assert 35 <= kept <= 110


def test_bulk_loaded_rows_have_their_search_vectors():
    """Rows written with COPY can be found by the full-text search (stored vectors are filled)."""
    _seed()
    for model in (Ressource, RetourExperience, Question, ArticlePresse):
        assert not model.objects.filter(recherche__isnull=True).exists(), model


def test_seeding_twice_at_the_same_level_changes_nothing():
    """A second run at the same level says so and writes nothing."""
    _seed()
    counts = (User.objects.count(), ArticlePresse.objects.count())
    out = _seed()
    assert "Déjà semée" in out
    assert (User.objects.count(), ArticlePresse.objects.count()) == counts


def test_a_database_with_other_content_is_refused_unless_reset(chef):
    """seed_scale never mixes its data with a real database's: it asks for --reset, which empties it first."""
    with pytest.raises(CommandError, match="--reset"):
        _seed()
    _seed("--reset")
    assert not User.objects.filter(pk=chef.pk).exists()
    assert User.objects.count() == 7


@override_settings(DEMO_ALLOWED=False)
def test_seed_scale_is_refused_in_production():
    """With DEMO_ALLOWED=false (production), the command refuses and writes nothing."""
    with pytest.raises(CommandError, match="production"):
        _seed()
    assert not Ville.objects.exists()


def test_bench_pages_measures_every_key_page_for_each_role_and_the_floor():
    """bench_pages prints, for each page and role, its status, queries, p50, p95 and size, with the trivial view."""
    _seed()
    out = StringIO()
    call_command("bench_pages", "--repeat", "2", "--pages", "Annuaire", "Animation", "Agenda", "Panorama", stdout=out)
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ") and "---" not in line][1:]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    assert {(c[0], c[1]) for c in cells} >= {
        ("Plancher (vue triviale)", "anonyme"),
        ("Annuaire", "partenaire"),
        ("Animation", "equipe"),
        ("Agenda", "chef"),
        ("Panorama", "anonyme"),
    }
    assert all(c[2] == "200" for c in cells), [c for c in cells if c[2] != "200"]
    assert all(float(c[4]) > 0 for c in cells)
