import pytest

from ressources import services
from ressources.models import Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory
from tests.helpers import axe_violations, login

from .conftest import PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_send_back_from_the_queue_with_a_listed_reason(live_server, page, upload):
    """The queue shows the file and summary; one reason and one click send it back; axe is clean."""
    chef = ChefDeProjetFactory()
    EquipeFactory(email="animation@villesaucarre.fr")
    proposal = services.ressource_create(
        actor=chef,
        data={"titre": "Étude de stationnement", "type": "etude", "visibilite": "reseau", "resume": "Comptages 2021."},
        fichier=upload("stationnement.pdf", PDF),
    )
    login(page, live_server.url, "animation@villesaucarre.fr")
    page.goto(live_server.url + "/ressources/moderation/")
    assert axe_violations(page) == []
    assert page.get_by_role("link", name="Ouvrir le fichier stationnement.pdf").is_visible()
    page.get_by_role("group", name="Motif du renvoi à l'auteur « Étude de stationnement »").get_by_label(
        "Doublon : cette ressource existe déjà dans la bibliothèque."
    ).check()
    page.get_by_role("button", name="Renvoyer à l'auteur « Étude de stationnement »").click()
    page.wait_for_url("**/ressources/moderation/")
    assert "est renvoyé à son auteur" in page.content()
    proposal.refresh_from_db()
    assert proposal.statut == Statut.RENVOYE
    assert proposal.motif_moderation.startswith("Doublon")
