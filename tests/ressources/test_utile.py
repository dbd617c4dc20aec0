"""« Utile »: members mark a resource, an experience sheet or an answer as useful; counts and sorting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, RetourExperience, Statut, Utile
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory

pytestmark = pytest.mark.django_db


def _url(kind, obj):
    return reverse("ressources:utile-toggle", args=[kind, obj.pk])


def test_anonymous_visitors_see_the_count_and_are_asked_to_sign_in(client):
    """A visitor reads how many members found a public resource useful; marking needs an account."""
    ressource = RessourceFactory(visibilite=Visibilite.PUBLIC, nb_utile=3)
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert "3 membres l'ont trouvé utile" in page
    assert _url("ressource", ressource) not in page
    response = client.post(_url("ressource", ressource))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Utile.objects.exists()


@pytest.mark.parametrize("factory", [PartenaireFactory, ChefDeProjetFactory, EquipeFactory])
def test_a_member_marks_a_resource_useful_once_and_takes_it_back(client, factory):
    """The button marks once (pressed, count 1); marking again with « oui » changes nothing; the toggle takes it back."""
    ressource = RessourceFactory(visibilite=Visibilite.PARTENAIRES)
    client.force_login(factory())
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert 'aria-pressed="false"' in page
    client.post(_url("ressource", ressource), {"utile": "oui"})
    client.post(_url("ressource", ressource), {"utile": "oui"})
    ressource.refresh_from_db()
    assert ressource.nb_utile == 1
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    assert 'Utile <span class="utile-count">(1)</span>' in page
    client.post(_url("ressource", ressource))
    ressource.refresh_from_db()
    assert ressource.nb_utile == 0
    assert not Utile.objects.exists()


def test_each_member_counts_once(client):
    """Two members marking the same sheet make a count of two."""
    retour = RetourExperienceFactory()
    for _ in range(2):
        client.force_login(ChefDeProjetFactory())
        response = client.post(_url("retour", retour), {"utile": "oui"})
        assert response["Location"] == retour.get_absolute_url()
    retour.refresh_from_db()
    assert retour.nb_utile == 2
    assert "utile pour 2 membres" in client.get("/ressources/retours/?tri=utile").content.decode()


def test_an_answer_is_marked_useful_from_its_thread(client):
    """An answer carries its own « Utile » button; the member comes back to the answer."""
    question = QuestionFactory()
    answer = MessageFactory(question=question)
    client.force_login(ChefDeProjetFactory())
    page = client.get(question.get_absolute_url()).content.decode()
    assert _url("message", answer) in page
    response = client.post(_url("message", answer), {"utile": "oui", "next": question.get_absolute_url()})
    assert response["Location"] == question.get_absolute_url()
    answer.refresh_from_db()
    assert answer.nb_utile == 1


def test_nobody_marks_their_own_contribution(client):
    """The author has no button on their own resource, and a POST is a 404."""
    me = ChefDeProjetFactory()
    ressource = RessourceFactory(auteur=me)
    client.force_login(me)
    assert _url("ressource", ressource) not in client.get(ressource.get_absolute_url()).content.decode()
    assert client.post(_url("ressource", ressource)).status_code == 404
    assert Ressource.objects.get(pk=ressource.pk).nb_utile == 0


@pytest.mark.parametrize(
    ("factory", "visibilite", "statut"),
    [
        (PartenaireFactory, Visibilite.RESEAU, Statut.PUBLIE),  # above the partner's level
        (ChefDeProjetFactory, Visibilite.RESEAU, Statut.BROUILLON),  # someone else's draft
        (ChefDeProjetFactory, Visibilite.EQUIPE, Statut.PUBLIE),  # staff only
    ],
)
def test_what_a_member_may_not_see_cannot_be_marked(client, factory, visibilite, statut):
    """Marking what one may not see is « not found », and counts nothing."""
    ressource = RessourceFactory(visibilite=visibilite, statut=statut)
    client.force_login(factory())
    assert client.post(_url("ressource", ressource), {"utile": "oui"}).status_code == 404
    assert not Utile.objects.exists()


def test_a_hidden_answer_cannot_be_marked(client):
    """A hidden answer is not shown, nor marked."""
    answer = MessageFactory(masque=True, motif_masquage="Hors sujet")
    client.force_login(ChefDeProjetFactory())
    assert client.post(_url("message", answer)).status_code == 404


def test_only_resources_sheets_and_answers_are_marked(client):
    """An unknown kind is a 404; a GET is refused."""
    question = QuestionFactory()
    client.force_login(ChefDeProjetFactory())
    assert client.post(reverse("ressources:utile-toggle", args=["question", question.pk])).status_code == 404
    assert client.get(_url("retour", RetourExperienceFactory())).status_code == 405


def test_the_library_sorts_by_the_most_useful(client):
    """« Les plus utiles » puts the resources members found useful first, with their count."""
    RessourceFactory(titre="Peu utile", visibilite=Visibilite.PUBLIC, nb_utile=1)
    RessourceFactory(titre="Très utile", visibilite=Visibilite.PUBLIC, nb_utile=7)
    RessourceFactory(titre="Jamais marquée", visibilite=Visibilite.PUBLIC)
    page = client.get("/ressources/?tri=utile").content.decode()
    assert page.index("Très utile") < page.index("Peu utile") < page.index("Jamais marquée")
    assert "utile pour 7 membres" in page


def test_the_sheets_sort_by_the_most_useful(client):
    """The experience sheets sort by « Les plus utiles » too."""
    client.force_login(ChefDeProjetFactory())
    RetourExperienceFactory(titre="Fiche moyenne", nb_utile=2)
    RetourExperienceFactory(titre="Fiche phare", nb_utile=9)
    page = client.get("/ressources/retours/?tri=utile").content.decode()
    assert page.index("Fiche phare") < page.index("Fiche moyenne")
    assert RetourExperience.objects.order_by("-nb_utile").first().titre == "Fiche phare"
