"""Who wrote it: authors' names lead to their member page when the reader may open it."""

import pytest

from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory

pytestmark = pytest.mark.django_db


def _link(member) -> str:
    return f'<a href="/annuaire/{member.pk}/">{member.get_full_name()}</a>'


def test_an_answer_s_author_in_the_directory_links_to_their_page(client):
    """In a question thread, a member reading an answer by someone of the directory can open their page."""
    auteur = ChefDeProjetFactory(first_name="Inès", last_name="Garnier")
    message = MessageFactory(auteur=auteur)
    client.force_login(ChefDeProjetFactory())
    page = client.get(message.question.get_absolute_url()).content.decode()
    assert _link(auteur) in page
    assert client.get(f"/annuaire/{auteur.pk}/").status_code == 200  # the link leads somewhere


def test_an_author_out_of_the_directory_is_named_but_linked_for_staff_only(client):
    """A member who refused the directory is named without a link for members; staff get the link (the page opens for them)."""
    auteur = ChefDeProjetFactory(first_name="Paul", last_name="Rivière", consentement_annuaire=False)
    message = MessageFactory(auteur=auteur)
    url = message.question.get_absolute_url()
    client.force_login(ChefDeProjetFactory())
    page = client.get(url).content.decode()
    assert "Paul Rivière" in page
    assert f"/annuaire/{auteur.pk}/" not in page
    assert client.get(f"/annuaire/{auteur.pk}/").status_code == 404
    client.force_login(EquipeFactory())
    assert _link(auteur) in client.get(url).content.decode()
    assert client.get(f"/annuaire/{auteur.pk}/").status_code == 200


def test_a_deleted_account_reads_former_member_without_link(client):
    """An answer and a question whose author deleted their account read « Ancien membre », never a link."""
    question = QuestionFactory(auteur=None)
    MessageFactory(question=question, auteur=None)
    client.force_login(EquipeFactory())
    page = client.get(question.get_absolute_url()).content.decode()
    assert "<strong>Ancien membre</strong>" in page
    assert "Posée par un ancien membre" in page


def test_a_visitor_reads_names_without_links(client):
    """On a public thread, an anonymous visitor sees the names; member pages are for members, so no link."""
    auteur = ChefDeProjetFactory(first_name="Inès", last_name="Garnier")
    question = QuestionFactory(visibilite=Visibilite.PUBLIC, auteur=auteur)
    MessageFactory(question=question, auteur=auteur)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Inès Garnier" in page
    assert "/annuaire/" not in page


def test_question_resource_and_sheet_bylines_link_their_author(client):
    """« Posée par », « Partagée par » and « Partagé par » lead to the author's page for a member."""
    auteur = ChefDeProjetFactory(first_name="Inès", last_name="Garnier")
    question = QuestionFactory(auteur=auteur)
    ressource = RessourceFactory(auteur=auteur, visibilite=Visibilite.PARTENAIRES)
    retour = RetourExperienceFactory(auteur=auteur)
    client.force_login(ChefDeProjetFactory())
    assert f"Posée par {_link(auteur)}" in client.get(question.get_absolute_url()).content.decode()
    assert _link(auteur) in client.get(ressource.get_absolute_url()).content.decode()
    assert f"Partagé par {_link(auteur)}" in client.get(retour.get_absolute_url()).content.decode()
    client.force_login(PartenaireFactory())
    assert _link(auteur) in client.get(ressource.get_absolute_url()).content.decode()


def test_a_comment_s_author_links_too(client):
    """Comments under a resource name their author with the same rule as answers."""
    auteur = PartenaireFactory(first_name="Yann", last_name="Le Goff")
    ressource = RessourceFactory(visibilite=Visibilite.PARTENAIRES)
    MessageFactory(question=None, ressource=ressource, auteur=auteur)
    client.force_login(ChefDeProjetFactory())
    assert _link(auteur) in client.get(ressource.get_absolute_url()).content.decode()


def test_editing_published_content_says_what_each_button_does(client):
    """On a published resource, staff « Enregistrer » (it stays published) or take it back to draft; a lead is warned that
    their edit goes back to the team and hides it meanwhile."""
    auteur = ChefDeProjetFactory()
    ressource = RessourceFactory(auteur=auteur, visibilite=Visibilite.PARTENAIRES)
    url = f"/ressources/{ressource.slug}/modifier/"
    client.force_login(EquipeFactory())
    page = client.get(url).content.decode()
    assert 'value="proposer">Enregistrer</button>' in page
    assert "Retirer de la publication et garder en brouillon" in page
    assert "Publier</button>" not in page
    client.force_login(auteur)
    page = client.get(url).content.decode()
    assert 'value="proposer">Proposer la modification</button>' in page
    assert "il n'est plus visible des membres jusqu'à sa relecture" in page.replace("&#x27;", "'")
    assert "Proposer la modification" not in client.get("/ressources/proposer/").content.decode()


def test_a_town_page_links_its_leads_to_their_member_page(client):
    """On a town page a member opens the page of the town's lead (in the directory); one out of it is named only."""
    from tests.factories.villes import MissionFactory, VilleFactory

    ville = VilleFactory(nom="Gien", slug="gien")
    lead = ChefDeProjetFactory(first_name="Inès", last_name="Garnier")
    discreet = ChefDeProjetFactory(first_name="Paul", last_name="Rivière", consentement_annuaire=False)
    MissionFactory(ville=ville, personne=lead)
    MissionFactory(ville=ville, personne=discreet)
    client.force_login(PartenaireFactory())
    page = client.get("/villes/gien/").content.decode()
    assert _link(lead) in page
    assert "Paul Rivière" in page
    assert f"/annuaire/{discreet.pk}/" not in page


def test_the_moderation_page_names_former_members_and_links_the_others(client):
    """A reported answer whose author left reads « Message d'un ancien membre »; the journal names who acted, linked."""
    from reseau_acv.comptes.models import User

    reporter = ChefDeProjetFactory(first_name="Léa", last_name="Martin")
    auteur = ChefDeProjetFactory()
    message = MessageFactory(auteur=auteur, corps="Propos déplacé")
    client.force_login(reporter)
    client.post(f"/ressources/messages/{message.pk}/signaler/", {"motif": "Hors sujet"})
    User.objects.filter(pk=auteur.pk).delete()
    client.force_login(EquipeFactory())
    page = client.get("/ressources/moderation/").content.decode().replace("&#x27;", "'")
    assert "Message d'un ancien membre" in page
    assert f"Signalé par {_link(reporter)}" in page
    assert f"<td>{_link(reporter)}</td>" in page  # the journal: who reported
