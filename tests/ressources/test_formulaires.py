"""The contribution forms as a member fills them: the error summary, the resources joined to a sheet."""

import pytest

from reseau_acv.core.visibility import Visibilite
from ressources.models import RetourExperience
from tests.factories.ressources import RessourceFactory
from tests.factories.villes import VilleFactory

pytestmark = pytest.mark.django_db


def test_a_refused_form_lists_its_errors_at_the_top_each_leading_to_its_field(client, chef):
    """An empty experience sheet: a summary at the top counts the fields to correct and links each one."""
    client.force_login(chef)
    page = client.post("/ressources/retours/proposer/", {"action": "proposer"}).content.decode()
    summary = page.split('class="form-errors" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "champs sont à corriger" in summary
    assert '<a href="#id_titre">Titre</a>\u00a0: Ce champ est obligatoire.' in summary
    assert 'href="#id_ville"' in summary
    assert page.index('class="form-errors"') < page.index('id="id_titre"')  # before the fields


def test_a_sheet_joins_resources_through_the_picker_not_a_list_of_the_whole_library(client, chef):
    """No <select> of every resource: typing a title (or « n° 12 ») joins it; an unknown title is refused with the reason."""
    guide = RessourceFactory(titre="Guide de l'OPAH-RU", visibilite=Visibilite.RESEAU)
    RessourceFactory(titre="Étude de vacance commerciale", visibilite=Visibilite.RESEAU)
    VilleFactory(nom="Gien", slug="gien", code_insee="45155")
    client.force_login(chef)
    form_page = client.get("/ressources/retours/proposer/").content.decode()
    assert '<select name="ressources"' not in form_page
    assert "Étude de vacance commerciale" not in form_page  # the library is not listed in the page
    data = {
        "titre": "Relancer l'OPAH-RU",
        "ville": "Gien",
        "contexte": "Un centre ancien dégradé.",
        "difficulte": "Peu de propriétaires mobilisés.",
        "type_difficulte": "financement",
        "leviers": "Une animation renforcée.",
        "type_levier": "partenariat",
        "resultat": "Trente dossiers déposés.",
        "visibilite": Visibilite.RESEAU,
        "action": "proposer",
    }
    refused = client.post("/ressources/retours/proposer/", {**data, "ressources": "Guide inexistant"}).content.decode()
    assert "aucune ressource de ce titre" in refused
    client.post("/ressources/retours/proposer/", {**data, "ressources": "guide de l'opah"})
    retour = RetourExperience.objects.get(titre="Relancer l'OPAH-RU")
    assert list(retour.ressources.all()) == [guide]


def test_a_question_without_theme_or_town_has_no_empty_summary_card(client, chef):
    """A question posted without theme or town shows no « En bref » card with nothing in it; the message promises replies only."""
    client.force_login(chef)
    response = client.post(
        "/ressources/questions/poser/",
        {"titre": "Qui a une boutique à l'essai ?", "visibilite": Visibilite.RESEAU},
        follow=True,
    )
    page = response.content.decode()
    assert "Votre question est posée au réseau. Vous serez prévenu·e de chaque réponse." in page
    assert "En bref" not in page
    assert "Aucun membre ne ressort encore sur ce sujet" in page


@pytest.mark.parametrize(
    "url", ["/ressources/proposer/", "/ressources/retours/proposer/", "/ressources/questions/poser/"]
)
def test_member_forms_explain_how_to_format_text_not_just_markdown(client, chef, url):
    """Under each text box a member reads how to write bold, lists and links, not the bare word « Markdown. »."""
    client.force_login(chef)
    page = client.get(url).content.decode()
    assert "Markdown." not in page
    assert "**gras**, *italique*" in page


def test_the_question_form_says_what_themes_do(client, chef):
    """Themes are explained: they reach the members who follow them and find who could answer."""
    client.force_login(chef)
    assert "trouvent qui pourrait répondre" in client.get("/ressources/questions/poser/").content.decode()
