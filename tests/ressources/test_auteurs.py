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
