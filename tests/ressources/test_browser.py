import pytest
from playwright.sync_api import expect

from ressources.models import Ressource
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.villes import VilleFactory
from tests.helpers import axe_violations, login

from .conftest import PDF


def _switch(page, live_server, email):
    page.context.clear_cookies()
    login(page, live_server.url, email)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_proposes_staff_publish_a_partner_cannot_see_a_lead_finds_it(live_server, page):
    """Propose with a file, publish from the queue, hidden from a partner when `reseau`, found by search; axe is clean."""
    ChefDeProjetFactory(email="cheffe@blois.fr", first_name="Nora")
    EquipeFactory(email="animation@villesaucarre.fr")
    PartenaireFactory(email="partenaire@anah.fr")
    ChefDeProjetFactory(email="chef@vierzon.fr")
    VilleFactory(nom="Blois", slug="blois", reseau_regional=True)

    _switch(page, live_server, "cheffe@blois.fr")
    page.goto(live_server.url + "/ressources/proposer/")
    assert axe_violations(page) == []
    page.get_by_label("Titre").fill("Étude pré-opérationnelle de l'OPAH-RU")
    page.get_by_label("Type").select_option("etude")
    page.get_by_label("Résumé").fill("La réhabilitation des immeubles vacants du centre ancien.")
    page.get_by_label("Visibilité").select_option("reseau")
    page.get_by_role("combobox", name="Villes concernées").fill("Blo")
    page.get_by_role("option", name="Blois (41)").click()
    expect(page.get_by_role("checkbox", name="Blois (41)")).to_be_checked()
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "etude-opah-ru.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Proposer").click()
    page.wait_for_url("**/ressources/etude-pre-operationnelle-de-lopah-ru/")
    assert "attend la validation" in page.content()
    assert axe_violations(page) == []

    _switch(page, live_server, "animation@villesaucarre.fr")
    page.goto(live_server.url + "/ressources/moderation/")
    page.get_by_role("button", name="Publier « Étude pré-opérationnelle de l'OPAH-RU »").click()
    page.wait_for_url("**/ressources/moderation/")
    assert Ressource.objects.get().statut == "publie"

    _switch(page, live_server, "partenaire@anah.fr")
    page.goto(live_server.url + "/ressources/")
    assert "Étude pré-opérationnelle" not in page.content()
    response = page.goto(live_server.url + "/ressources/etude-pre-operationnelle-de-lopah-ru/")
    assert response.status == 404

    _switch(page, live_server, "chef@vierzon.fr")
    page.goto(live_server.url + "/ressources/")
    page.get_by_role("searchbox", name="Rechercher").fill("rehabilitation immeuble")
    page.get_by_role("button", name="Rechercher").click()
    result = page.get_by_role("link", name="Étude pré-opérationnelle de l'OPAH-RU")
    assert result.is_visible()
    assert page.locator("mark").first.inner_text().lower().startswith("réhabilitation")
    assert axe_violations(page) == []
    result.click()
    page.wait_for_url("**/ressources/etude-pre-operationnelle-de-lopah-ru/")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger etude-opah-ru.pdf", exact=False).click()
    assert download.value.suggested_filename == "etude-opah-ru.pdf"
