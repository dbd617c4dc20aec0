"""The member page (/annuaire/<id>/): who a member is, what they know and what they shared."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from reseau_acv.core.visibility import Visibilite
from ressources.models import Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory
from tests.factories.villes import MissionFactory, VilleFactory

pytestmark = pytest.mark.django_db


def _url(member, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("accueil:membre", args=[member.pk]) + (f"?{query}" if query else "")


def test_anonymous_visitors_are_asked_to_sign_in(client):
    """The member page is for members: anonymous visitors go to the sign-in page."""
    member = ChefDeProjetFactory()
    response = client.get(_url(member))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet", "equipe"])
def test_every_member_sees_a_member_of_the_directory(client_for, role, themes):
    """Any signed-in member sees the page of a member who appears in the directory: role, organisation, towns, expertise."""
    member = ChefDeProjetFactory(first_name="Aline", last_name="Mercier", fonction="Cheffe de projet ACV")
    member.themes_expertise.set([themes["habitat"]])
    member.expertise = "OPAH-RU et copropriétés dégradées"
    member.save()
    MissionFactory(personne=member, ville=VilleFactory(nom="Vierzon"))
    page = client_for(role).get(_url(member)).content.decode()
    assert "<h1" in page
    assert "Aline Mercier" in page
    assert "Chef·fe de projet" in page
    assert "Cheffe de projet ACV" in page
    assert member.organisation.nom in page
    assert "Vierzon" in page
    assert escape(themes["habitat"].nom) in page
    assert "OPAH-RU et copropriétés dégradées" in page


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_a_member_who_did_not_consent_is_not_found_by_others(client_for, role):
    """A member outside the directory is « not found » for other members."""
    discret = ChefDeProjetFactory(consentement_annuaire=False)
    assert client_for(role).get(_url(discret)).status_code == 404


def test_staff_see_a_member_who_did_not_consent_with_a_note(client):
    """Staff see every member's page, told that the member is not in the directory."""
    discret = ChefDeProjetFactory(consentement_annuaire=False, last_name="Discret")
    client.force_login(EquipeFactory())
    response = client.get(_url(discret))
    assert response.status_code == 200
    assert "seule l'équipe d'animation voit cette page" in response.content.decode()


def test_a_member_sees_their_own_page_even_outside_the_directory(client):
    """A member who did not consent sees their own page, told that others do not."""
    me = ChefDeProjetFactory(consentement_annuaire=False)
    client.force_login(me)
    page = client.get(_url(me)).content.decode()
    assert "les autres membres ne voient pas cette page" in page
    assert reverse("comptes:profile-edit") in page


def test_inactive_or_unknown_members_are_not_found(client):
    """A deactivated account or an unknown number is a 404, even for staff."""
    client.force_login(EquipeFactory())
    assert client.get(_url(ChefDeProjetFactory(is_active=False))).status_code == 404
    assert client.get(reverse("accueil:membre", args=[999999])).status_code == 404


def test_the_page_shows_only_what_the_viewer_may_see(client):
    """Published contributions are listed at the viewer's level; drafts and network-only items stay hidden from partners."""
    author = ChefDeProjetFactory()
    RessourceFactory(auteur=author, titre="Guide public des façades", visibilite=Visibilite.PUBLIC)
    RessourceFactory(auteur=author, titre="Tableau de bord réseau", visibilite=Visibilite.RESEAU)
    RessourceFactory(auteur=author, titre="Brouillon secret", statut=Statut.BROUILLON, publie_le=None)
    RetourExperienceFactory(auteur=author, titre="Fiche réservée au réseau", visibilite=Visibilite.RESEAU)
    client.force_login(PartenaireFactory())
    page = client.get(_url(author)).content.decode()
    assert "Guide public des façades" in page
    assert "Tableau de bord réseau" not in page
    assert "Fiche réservée au réseau" not in page
    assert "Brouillon secret" not in page

    client.force_login(ChefDeProjetFactory())
    page = client.get(_url(author)).content.decode()
    assert "Tableau de bord réseau" in page
    assert "Fiche réservée au réseau" in page
    assert "Brouillon secret" not in page


def test_accepted_answers_are_listed_not_the_others(client):
    """The answers the askers retained are listed, with a link to the answer; other answers are not."""
    author = ChefDeProjetFactory()
    question = QuestionFactory(titre="Comment mobiliser les propriétaires ?")
    retenue = MessageFactory(question=question, auteur=author)
    question.reponse_retenue = retenue
    question.save()
    MessageFactory(question=QuestionFactory(titre="Une autre question sans réponse retenue ?"), auteur=author)
    client.force_login(ChefDeProjetFactory())
    page = client.get(_url(author)).content.decode()
    assert "Comment mobiliser les propriétaires ?" in page
    assert f"#message-{retenue.pk}" in page
    assert "Une autre question sans réponse retenue ?" not in page


def test_accepted_answer_in_a_network_question_is_hidden_from_partners(client):
    """An accepted answer in a question kept for the network does not show to a partner."""
    author = ChefDeProjetFactory()
    question = QuestionFactory(titre="Question du réseau ?", visibilite=Visibilite.RESEAU)
    question.reponse_retenue = MessageFactory(question=question, auteur=author)
    question.save()
    client.force_login(PartenaireFactory())
    assert "Question du réseau ?" not in client.get(_url(author)).content.decode()


def test_the_page_caps_each_kind_and_pages_through_all(client):
    """Five items of a kind are shown with « voir tout », which pages through all of them."""
    author = ChefDeProjetFactory()
    for n in range(23):
        RessourceFactory(auteur=author, titre=f"Ressource numéro {n:02d}")
    client.force_login(ChefDeProjetFactory())
    page = client.get(_url(author)).content.decode()
    assert page.count("Ressource numéro") == 5
    assert "Voir tout (23)" in page
    first = client.get(_url(author, voir="ressources")).content.decode()
    assert first.count("Ressource numéro") == 20
    assert "23 éléments" in first
    second = client.get(_url(author, voir="ressources", page=2)).content.decode()
    assert second.count("Ressource numéro") == 3
    assert client.get(_url(author, voir="inconnu")).status_code == 404


def test_the_page_runs_the_same_queries_for_1_and_20_contributions(client):
    """The member page keeps a constant number of SQL queries whatever the member published."""
    author = ChefDeProjetFactory()
    viewer = ChefDeProjetFactory()
    client.force_login(viewer)

    def add(n):
        for _ in range(n):
            RessourceFactory(auteur=author)
            RetourExperienceFactory(auteur=author)
            question = QuestionFactory()
            question.reponse_retenue = MessageFactory(question=question, auteur=author)
            question.save()
            MissionFactory(personne=author)

    add(1)
    client.get(_url(author))
    with CaptureQueriesContext(connection) as one:
        client.get(_url(author))
    add(19)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(author))
    assert response.content.decode().count("Voir tout (20)") == 3
    assert len(many) == len(one)


def test_directory_cards_link_to_the_member_page(client):
    """Each card of the directory links to the member's page."""
    member = ChefDeProjetFactory(last_name="Lien")
    client.force_login(PartenaireFactory())
    assert f'href="{_url(member)}"' in client.get("/annuaire/").content.decode()


def test_expertise_is_declared_in_the_profile_and_shown_on_the_page(client, themes):
    """A member ticks their themes of expertise in their profile; the page then shows them."""
    me = ChefDeProjetFactory()
    client.force_login(me)
    form = client.get(reverse("comptes:profile-edit")).content.decode()
    assert escape("Mes thèmes d'expertise") in form
    response = client.post(
        reverse("comptes:profile-edit"),
        {
            "first_name": me.first_name,
            "last_name": me.last_name,
            "organisation": me.organisation_id,
            "fonction": me.fonction,
            "telephone": "",
            "themes_expertise": [themes["commerce"].pk],
            "expertise": "Foncier commercial",
            "consentement_annuaire": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(_url(me)).content.decode()
    assert escape(themes["commerce"].nom) in page
    assert "Foncier commercial" in page


def test_the_directory_finds_members_by_theme_of_expertise(client, themes):
    """The directory filters by theme of expertise (declared, or a partner's organisation covering it) and shows it on the cards."""
    expert = ChefDeProjetFactory(last_name="Experte")
    expert.themes_expertise.set([themes["commerce"]])
    partner = PartenaireFactory(last_name="Financeur")
    partner.organisation.themes.set([themes["commerce"]])
    ChefDeProjetFactory(last_name="Autrechose").themes_expertise.set([themes["habitat"]])
    client.force_login(ChefDeProjetFactory(consentement_annuaire=False))
    page = client.get("/annuaire/?expertise=commerce").content.decode()
    assert "Experte" in page
    assert "Financeur" in page
    assert "Autrechose" not in page
    assert "Expertise\u00a0:" in page
    assert themes["commerce"].nom_court in page
