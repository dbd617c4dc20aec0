"""The town picker: typed names, « Nom (dép.) » and INSEE codes resolve to towns on the server,
suggestions come from a JSON endpoint, and no page offers a long <select> of towns."""

import re

import pytest
from django import forms
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories.ressources import RessourceFactory
from tests.factories.villes import VilleFactory
from villes.fields import VilleField, VillesField

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    return {
        "blois": VilleFactory(nom="Blois", slug="blois", code_insee="41018", departement_code="41"),
        "chateauroux": VilleFactory(nom="Châteauroux", slug="chateauroux", code_insee="36044", departement_code="36"),
        "saint_amand_18": VilleFactory(
            nom="Saint-Amand-Montrond", slug="saint-amand-montrond", code_insee="18197", departement_code="18"
        ),
        "saint_amand_41": VilleFactory(
            nom="Saint-Amand-Montrond", slug="saint-amand-montrond-41999", code_insee="41999", departement_code="41"
        ),
    }


class OneTown(forms.Form):
    ville = VilleField(label="Ville")


class Towns(forms.Form):
    villes = VillesField(label="Villes", required=False)


def test_a_typed_name_an_insee_code_or_a_name_with_its_departement_resolves_to_the_town(towns):
    """« blois », « 36044 », « chateauroux » (no accent) and « Saint-Amand-Montrond (18) » each find their town."""
    for typed, expected in [
        ("blois", "blois"),
        ("36044", "chateauroux"),
        ("chateauroux", "chateauroux"),
        ("  CHÂTEAUROUX ", "chateauroux"),
        ("Saint-Amand-Montrond (18)", "saint_amand_18"),
    ]:
        form = OneTown({"ville": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["ville"] == towns[expected]


def test_a_name_several_communes_share_asks_for_the_departement(towns):
    """Two communes share a name: the form says so, lists them with their département and asks to choose."""
    form = OneTown({"ville": "Saint-Amand-Montrond"})
    assert not form.is_valid()
    message = form.errors["ville"][0]
    assert "Saint-Amand-Montrond (18)" in message
    assert "Saint-Amand-Montrond (41)" in message
    assert "précisez le département" in message


def test_an_unknown_name_is_refused_with_a_clear_message(towns):
    """A name no town has is refused, and the message says what to check."""
    form = OneTown({"ville": "Trifouilly-les-Oies"})
    assert not form.is_valid()
    assert "aucune ville ni commune de ce nom" in form.errors["ville"][0]


def test_several_towns_come_from_checked_boxes_and_from_names_typed_with_semicolons(towns):
    """Chosen towns (checked boxes: INSEE codes) and typed names separated by « ; » make one list, without repeats."""
    data = {"villes": ["41018", "Châteauroux ; Saint-Amand-Montrond (41)", "blois"]}
    form = Towns(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["villes"] == [towns["blois"], towns["chateauroux"], towns["saint_amand_41"]]


def test_a_refused_multiple_choice_keeps_the_chosen_towns_checked_and_the_typed_text(towns):
    """When one typed name is unknown, the page shows the towns already chosen as checked boxes and keeps the text."""
    form = Towns({"villes": ["41018", "Zorgville"]})
    assert not form.is_valid()
    html = str(form["villes"])
    assert re.search(r'<input type="checkbox" name="villes" value="41018"[^>]*checked', html)
    assert "Blois (41)" in html
    assert 'value="Zorgville"' in html
    assert "<select" not in html


def test_suggestions_match_the_start_of_a_name_first_without_accents(client, towns):
    """Typing « chat » suggests Châteauroux; « saint » both Saint-Amand-Montrond, each with its département."""
    url = reverse("villes:ville-choices")
    assert [t["label"] for t in client.get(url, {"q": "chat"}).json()["results"]] == ["Châteauroux (36)"]
    labels = [t["label"] for t in client.get(url, {"q": "saint"}).json()["results"]]
    assert sorted(labels) == ["Saint-Amand-Montrond (18)", "Saint-Amand-Montrond (41)"]
    assert [t["code"] for t in client.get(url, {"q": "3604"}).json()["results"]] == ["36044"]


def test_suggestions_are_at_most_twenty_and_run_a_constant_number_of_queries(client, django_assert_num_queries):
    """However many towns match, the endpoint answers 20 of them, in one query (anonymous visitor)."""
    for i in range(30):
        VilleFactory(nom=f"Saint-Exemple {i}")
    with django_assert_num_queries(1):
        results = client.get(reverse("villes:ville-choices"), {"q": "saint-ex"}).json()["results"]
    assert len(results) == 20


def test_filter_suggestions_give_the_number_of_visible_items_per_town(client, towns):
    """In the library's filter, a town comes with its number of resources the visitor may see (French plural)."""
    RessourceFactory(visibilite="public").villes.add(towns["blois"])
    RessourceFactory(visibilite="public").villes.add(towns["blois"])
    RessourceFactory(visibilite="public").villes.add(towns["chateauroux"])
    url = reverse("villes:ville-choices")
    results = client.get(url, {"q": "o", "contenu": "ressources"}).json()["results"]
    assert {t["label"]: t["compte"] for t in results} == {
        "Blois (41)": "2 ressources",
        "Châteauroux (36)": "1 ressource",
    }


def test_an_unknown_kind_of_content_is_not_found(client):
    """The endpoint answers 404 for a kind of content nobody registered."""
    assert client.get(reverse("villes:ville-choices"), {"q": "bl", "contenu": "inconnu"}).status_code == 404


PAGES_WITH_TOWN_CHOICES = {
    "/ressources/": ROLES,
    "/ressources/retours/": ROLES,
    "/ressources/questions/": ROLES,
    "/rencontres/": ROLES,
    "/panorama/": ROLES,
    "/ressources/proposer/": ["chef_de_projet", "equipe"],
    "/ressources/retours/proposer/": ["chef_de_projet", "equipe"],
    "/ressources/questions/poser/": ["chef_de_projet", "equipe"],
    "/rencontres/nouvelle/": ["equipe"],
}


@pytest.mark.parametrize("path", list(PAGES_WITH_TOWN_CHOICES))
def test_no_filter_or_form_lists_the_towns_in_a_select(client_for, path):
    """With 120 towns, filters and forms offer none of them in a <select>: the town picker's text box instead."""
    towns = [VilleFactory(nom=f"Commune {i:03d}") for i in range(120)]
    for role in PAGES_WITH_TOWN_CHOICES[path]:
        response = client_for(role).get(path)
        assert response.status_code == 200, (path, role)
        html = response.content.decode()
        assert towns[7].nom not in html, (path, role)
        assert "data-ville-picker" in html, (path, role)
        for select in re.findall(r"<select.*?</select>", html, flags=re.S):
            assert select.count("<option") <= 50, (path, role)
