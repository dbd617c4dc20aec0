"""« Mes contributions » (/mon-compte/contributions/), proposing a draft in one step, and « Ce qui vous attend »."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reseau_acv.core.visibility import Visibilite
from ressources.models import ActeModeration, Ressource, RetourExperience, Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory

pytestmark = pytest.mark.django_db

URL = "/mon-compte/contributions/"


def _act(kind, obj):
    return reverse("ressources:contribution-act", args=[kind, obj.pk])


def _draft(auteur, **extra):
    return RessourceFactory(auteur=auteur, statut=Statut.BROUILLON, publie_le=None, **extra)


def test_anonymous_visitors_are_asked_to_sign_in(client):
    """« Mes contributions » is the member's own page: anonymous visitors go to the sign-in page."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("factory", [PartenaireFactory, ChefDeProjetFactory, EquipeFactory])
def test_every_member_has_the_page(client, factory):
    """Every role has the page, in French, with one heading and an empty state."""
    client.force_login(factory())
    page = client.get(URL).content.decode()
    assert page.count("<h1") == 1
    assert "Mes contributions" in page
    assert "Vous n&#x27;avez encore rien écrit." in page or "Vous n'avez encore rien écrit." in page


def test_the_page_lists_everything_i_wrote_with_its_status_and_reason(client):
    """Drafts, proposals, sent-back items with the reason, published and hidden items, questions and answers are listed; others' are not."""
    me = ChefDeProjetFactory()
    _draft(me, titre="Mon brouillon de guide")
    RessourceFactory(auteur=me, titre="Ma proposition", statut=Statut.PROPOSE, publie_le=None)
    RetourExperienceFactory(
        auteur=me, titre="Ma fiche renvoyée", statut=Statut.RENVOYE, motif_moderation="Ajoutez le résultat chiffré."
    )
    RessourceFactory(auteur=me, titre="Ma ressource publiée")
    RessourceFactory(auteur=me, titre="Ma ressource masquée", statut=Statut.MASQUE, motif_moderation="Doublon.")
    QuestionFactory(auteur=me, titre="Ma question au réseau ?")
    question = QuestionFactory(titre="La question d'une autre ?")
    question.reponse_retenue = MessageFactory(question=question, auteur=me)
    question.save()
    RessourceFactory(titre="La ressource d'un autre")
    client.force_login(me)
    page = client.get(URL).content.decode()
    for titre in ("Mon brouillon de guide", "Ma proposition", "Ma fiche renvoyée", "Ma ressource publiée"):
        assert titre in page
    assert "Ma ressource masquée" in page
    assert "Ma question au réseau ?" in page
    assert "Ajoutez le résultat chiffré." in page
    assert "Doublon." in page
    assert "Proposé, en attente de modération" in page
    assert "Renvoyé à son auteur" in page
    assert "La ressource d&#x27;un autre" not in page
    assert "La question d&#x27;une autre ?" in page  # my answer's thread
    assert "Réponse retenue" in page
    assert "6 contributions" in page


def test_the_status_filter_keeps_one_status(client):
    """Choosing « Brouillon » lists the drafts only, and each status shows its number."""
    me = ChefDeProjetFactory()
    _draft(me, titre="Premier brouillon")
    _draft(me, titre="Second brouillon")
    RessourceFactory(auteur=me, titre="Déjà publiée")
    client.force_login(me)
    page = client.get(URL + "?statut=brouillon").content.decode()
    assert "Premier brouillon" in page
    assert "Déjà publiée" not in page
    assert "Brouillon (2)" in page
    assert "Publié (1)" in page


def test_a_draft_is_proposed_in_one_step_from_the_list(client):
    """« Proposer » on the list sends the draft to the team at once and comes back to the list."""
    me = ChefDeProjetFactory()
    draft = _draft(me)
    client.force_login(me)
    page = client.get(URL).content.decode()
    assert _act("ressource", draft) in page
    response = client.post(_act("ressource", draft), {"action": "proposer", "next": URL})
    assert response.status_code == 302
    assert response["Location"] == URL
    draft.refresh_from_db()
    assert draft.statut == Statut.PROPOSE
    assert ActeModeration.objects.filter(action=ActeModeration.Action.PROPOSER, cible_id=draft.pk).exists()
    assert "attend la validation" in client.get(URL).content.decode()


def test_a_sent_back_sheet_is_proposed_again_from_its_page(client):
    """A sent-back experience sheet shows « Proposer » on its own page, no detour through the form."""
    me = ChefDeProjetFactory()
    retour = RetourExperienceFactory(auteur=me, statut=Statut.RENVOYE, motif_moderation="Précisez.")
    client.force_login(me)
    page = client.get(retour.get_absolute_url()).content.decode()
    assert _act("retour", retour) in page
    client.post(_act("retour", retour), {"action": "proposer"})
    retour.refresh_from_db()
    assert retour.statut == Statut.PROPOSE


def test_staff_publish_their_own_draft_in_one_step(client):
    """For staff, the one-step button publishes their own draft."""
    me = EquipeFactory()
    draft = _draft(me)
    client.force_login(me)
    assert "Publier" in client.get(draft.get_absolute_url()).content.decode()
    client.post(_act("ressource", draft), {"action": "proposer"})
    draft.refresh_from_db()
    assert draft.statut == Statut.PUBLIE
    assert draft.publie_le is not None


def test_withdrawing_a_published_contribution_hides_it_from_others(client):
    """« Retirer » turns my published resource back into a draft: other members no longer see it."""
    me = ChefDeProjetFactory()
    ressource = RessourceFactory(auteur=me, titre="À retirer")
    client.force_login(me)
    client.post(_act("ressource", ressource), {"action": "retirer"})
    ressource.refresh_from_db()
    assert ressource.statut == Statut.BROUILLON
    assert ActeModeration.objects.filter(action=ActeModeration.Action.RETIRER, cible_id=ressource.pk).exists()
    client.force_login(ChefDeProjetFactory())
    assert client.get(ressource.get_absolute_url()).status_code == 404


def test_withdrawing_a_proposal_takes_it_out_of_the_queue(client):
    """Withdrawing a proposal makes it a draft again: it leaves the moderation queue."""
    me = ChefDeProjetFactory()
    retour = RetourExperienceFactory(auteur=me, statut=Statut.PROPOSE)
    client.force_login(me)
    client.post(_act("retour", retour), {"action": "retirer"})
    assert not RetourExperience.objects.awaiting_moderation().filter(pk=retour.pk).exists()


@pytest.mark.parametrize("factory", [PartenaireFactory, ChefDeProjetFactory, EquipeFactory])
def test_nobody_else_proposes_or_withdraws_my_contribution(client, factory):
    """Another member (staff included: they moderate instead) gets a 404 and nothing changes."""
    draft = _draft(ChefDeProjetFactory())
    published = RessourceFactory(visibilite=Visibilite.PUBLIC)
    client.force_login(factory())
    assert client.post(_act("ressource", draft), {"action": "proposer"}).status_code == 404
    assert client.post(_act("ressource", published), {"action": "retirer"}).status_code == 404
    assert Ressource.objects.get(pk=draft.pk).statut == Statut.BROUILLON
    assert Ressource.objects.get(pk=published.pk).statut == Statut.PUBLIE


def test_unknown_kinds_and_actions_are_not_found(client):
    """Only resources and experience sheets are proposed; an unknown action or a GET is refused."""
    me = ChefDeProjetFactory()
    question = QuestionFactory(auteur=me)
    draft = _draft(me)
    client.force_login(me)
    assert client.post(_act("question", question), {"action": "retirer"}).status_code == 404
    assert client.post(_act("ressource", draft), {"action": "publier"}).status_code == 404
    assert client.get(_act("ressource", draft)).status_code == 405


def test_the_return_address_stays_on_the_site(client):
    """A « next » pointing to another site is ignored: the member lands on the contribution."""
    me = ChefDeProjetFactory()
    draft = _draft(me)
    client.force_login(me)
    response = client.post(_act("ressource", draft), {"action": "proposer", "next": "https://pirate.example/"})
    assert response["Location"] == draft.get_absolute_url()


def test_the_list_runs_the_same_queries_for_1_and_30_contributions(client):
    """The page keeps a constant number of SQL queries whatever the number of contributions."""
    me = ChefDeProjetFactory()
    client.force_login(me)

    def add(n):
        for _ in range(n):
            _draft(me)
            RetourExperienceFactory(auteur=me, statut=Statut.RENVOYE, motif_moderation="À reprendre.")
            QuestionFactory(auteur=me)
            MessageFactory(auteur=me)

    add(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    add(29)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert "Page 1 sur 5" in page
    assert len(many) == len(one)


def test_the_dashboard_shows_what_waits_on_me(client):
    """« Ce qui vous attend » lists my drafts and sent-back items with the team's reason, and proposes them."""
    me = ChefDeProjetFactory()
    draft = _draft(me, titre="Guide en cours")
    RetourExperienceFactory(
        auteur=me, titre="Fiche à reprendre", statut=Statut.RENVOYE, motif_moderation="Ajoutez un contact."
    )
    RessourceFactory(auteur=me, titre="Ressource publiée depuis longtemps")
    client.force_login(me)
    page = client.get("/tableau-de-bord/").content.decode()
    panel = page.split('id="panel-attente"', 1)[1].split("</section>", 1)[0]
    assert "Ce qui vous attend" in page
    assert "Guide en cours" in panel
    assert "Fiche à reprendre" in panel
    assert "Ajoutez un contact." in panel
    assert "Ressource publiée depuis longtemps" not in panel
    assert _act("ressource", draft) in panel


def test_the_dashboard_says_nothing_when_nothing_waits(client):
    """With no draft and nothing sent back, the panel does not show."""
    me = ChefDeProjetFactory()
    RessourceFactory(auteur=me)
    client.force_login(me)
    assert "Ce qui vous attend" not in client.get("/tableau-de-bord/").content.decode()
