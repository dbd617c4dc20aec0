import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rencontres.models import PointOrdreDuJour, Rencontre
from tests.factories.rencontres import InscriptionFactory, PointOrdreDuJourFactory, RencontreFactory
from tests.factories.villes import VilleFactory

# --- the agenda rows of the meeting form ---------------------------------------------------------

FORM = {
    "type": "visite",
    "titre": "Visite des friches de Vierzon",
    "resume": "",
    "debut": "2030-10-27T09:30",
    "fin": "2030-10-27T16:00",
    "format": "presentiel",
    "adresse": "Place de l'Hôtel de ville",
    "lien_visio": "",
    "visibilite": "reseau",
    "capacite": "20",
    "date_limite_inscription": "",
    "ordre_du_jour": "",
    "compte_rendu": "",
    "points-INITIAL_FORMS": "0",
    "points-MIN_NUM_FORMS": "0",
    "points-MAX_NUM_FORMS": "1000",
}


def _rows(page: str) -> int:
    return len(re.findall(r'name="points-\d+-titre"', page))


@pytest.mark.django_db
def test_a_new_meeting_offers_one_agenda_row(client, equipe):
    """The empty form shows one agenda row, not two."""
    client.force_login(equipe)
    page = client.get(reverse("rencontres:rencontre-create")).content.decode()
    assert _rows(page) == 1
    assert "Ajouter un point à l&#x27;ordre du jour" in page or "Ajouter un point à l'ordre du jour" in page


@pytest.mark.django_db
def test_editing_a_meeting_shows_its_items_and_no_empty_row(client, equipe):
    """A meeting with two agenda items is edited with exactly its two rows."""
    rencontre = RencontreFactory()
    PointOrdreDuJourFactory.create_batch(2, rencontre=rencontre)
    client.force_login(equipe)
    page = client.get(reverse("rencontres:rencontre-update", args=[rencontre.pk])).content.decode()
    assert _rows(page) == 2


@pytest.mark.django_db
def test_adding_a_row_without_javascript_keeps_what_was_typed_and_saves_nothing(client, equipe):
    """« Ajouter un point » redisplays the form as typed with one more row, no error, nothing saved."""
    client.force_login(equipe)
    ville = VilleFactory(nom="Vierzon")
    data = {
        **FORM,
        "ville": ville.code_insee,  # the town picker posts INSEE codes
        "fin": "",  # not judged yet: no error shown for a missing end
        "points-TOTAL_FORMS": "1",
        "points-0-ordre": "1",
        "points-0-horaire": "09:30",
        "points-0-titre": "Accueil en mairie",
        "ajouter_point": "1",
    }
    response = client.post(reverse("rencontres:rencontre-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert _rows(page) == 2
    assert 'value="Accueil en mairie"' in page
    assert 'value="Visite des friches de Vierzon"' in page
    assert "Ce champ est obligatoire" not in page
    assert "rien n&#x27;est encore enregistré" in page or "rien n'est encore enregistré" in page
    assert not Rencontre.objects.exists()

    data.pop("ajouter_point")
    response = client.post(
        reverse("rencontres:rencontre-create"),
        {**data, "fin": "2030-10-27T16:00", "points-TOTAL_FORMS": "2", "points-1-titre": "Visite de la friche Case"},
    )
    assert response.status_code == 302
    assert list(PointOrdreDuJour.objects.order_by("pk").values_list("titre", flat=True)) == [
        "Accueil en mairie",
        "Visite de la friche Case",
    ]


@pytest.mark.django_db
def test_an_empty_row_is_ignored_on_save(client, equipe):
    """A row left empty is not saved as an agenda item."""
    client.force_login(equipe)
    data = {**FORM, "points-TOTAL_FORMS": "2", "points-0-titre": "Tour de table", "points-1-titre": ""}
    assert client.post(reverse("rencontres:rencontre-create"), data).status_code == 302
    assert list(PointOrdreDuJour.objects.values_list("titre", flat=True)) == ["Tour de table"]


# --- place and town -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adresse", "ville", "lieu"),
    [
        ("Palais des congrès, Bourges", "Bourges", "Palais des congrès, Bourges"),
        ("Palais des congrès, 18000 BOURGES", "Bourges", "Palais des congrès, 18000 BOURGES"),
        ("Hôtel de ville, Chateauroux", "Châteauroux", "Hôtel de ville, Chateauroux"),
        ("Rue de Blois", "Blois", "Rue de Blois, Blois"),
        ("Bourges", "Bourges", "Bourges"),
        ("", "Bourges", "Bourges"),
        ("Salle des fêtes", None, "Salle des fêtes"),
    ],
)
def test_the_place_names_the_town_once(adresse, ville, lieu):
    """« Palais des congrès, Bourges » in Bourges reads once, not « …, Bourges, Bourges »."""
    rencontre = Rencontre(adresse=adresse, ville=VilleFactory.build(nom=ville) if ville else None)
    assert rencontre.lieu == lieu


@pytest.mark.django_db
def test_the_meeting_page_and_my_registrations_name_the_town_once(client, chef):
    """The meeting page links the town written in the address; « Mes inscriptions » shows the place once."""
    bourges = VilleFactory(nom="Bourges", slug="bourges")
    rencontre = RencontreFactory(adresse="Palais des congrès, Bourges", ville=bourges, format="presentiel")
    InscriptionFactory(rencontre=rencontre, membre=chef)
    client.force_login(chef)
    page = client.get(rencontre.get_absolute_url()).content.decode()
    assert 'Palais des congrès, <a href="/villes/bourges/">Bourges</a>' in page
    assert "Bourges, Bourges" not in page
    mine = client.get(reverse("rencontres:inscription-list")).content.decode()
    assert "<td>Palais des congrès, Bourges</td>" in mine


# --- « Mes inscriptions » -------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_registrations_list_upcoming_meetings_first(client, chef):
    """Upcoming meetings come first, the soonest first; past ones follow, the latest first."""
    now = timezone.now()
    for titre, days in [("Passée ancienne", -60), ("Dans un mois", 30), ("Passée récente", -3), ("Demain", 1)]:
        debut = now + timedelta(days=days)
        InscriptionFactory(
            membre=chef, rencontre=RencontreFactory(titre=titre, debut=debut, fin=debut + timedelta(hours=2))
        )
    client.force_login(chef)
    page = client.get(reverse("rencontres:inscription-list")).content.decode()
    order = [
        page.index(t) for t in ("À venir", "Demain", "Dans un mois", "Passées", "Passée récente", "Passée ancienne")
    ]
    assert order == sorted(order)


@pytest.mark.django_db
def test_my_registrations_say_when_nothing_is_coming(client, chef):
    """With only past meetings, « À venir » says there is none and leads to the agenda, above the past ones."""
    debut = timezone.now() - timedelta(days=30)
    InscriptionFactory(
        membre=chef, rencontre=RencontreFactory(titre="Passée", debut=debut, fin=debut + timedelta(hours=2))
    )
    client.force_login(chef)
    page = client.get(reverse("rencontres:inscription-list")).content.decode()
    assert page.index("Aucune inscription à une rencontre à venir.") < page.index("Passée")
    assert 'href="/rencontres/">Voir l\'agenda</a>' in page


@pytest.mark.django_db
def test_my_registrations_are_paginated(client, chef):
    """Twenty-one registrations fill two pages."""
    for _ in range(21):
        InscriptionFactory(membre=chef)
    client.force_login(chef)
    first = client.get(reverse("rencontres:inscription-list")).content.decode()
    assert first.count('<th scope="row">') == 20
    assert "Page 1 sur 2" in first
    second = client.get(reverse("rencontres:inscription-list") + "?page=2").content.decode()
    assert second.count('<th scope="row">') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 10])
def test_my_registrations_run_the_same_queries_for_1_and_10(client, chef, django_assert_num_queries, n):
    """« Mes inscriptions » costs the same queries whatever the number of registrations."""
    for _ in range(n):
        InscriptionFactory(membre=chef, rencontre=RencontreFactory(ville=VilleFactory()))
    client.force_login(chef)
    with django_assert_num_queries(5):  # session, user, count, page, private feed
        client.get(reverse("rencontres:inscription-list"))


# --- counts in French ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 inscrit·e sur 20"), (1, "1 inscrit·e sur 20"), (2, "2 inscrit·es sur 20")]
)
def test_places_are_counted_in_french(client, chef, n, text):
    """The meeting page says « 0 inscrit·e », « 1 inscrit·e », « 2 inscrit·es »."""
    rencontre = RencontreFactory(capacite=20)
    InscriptionFactory.create_batch(n, rencontre=rencontre)
    client.force_login(chef)
    assert text in client.get(rencontre.get_absolute_url()).content.decode()
