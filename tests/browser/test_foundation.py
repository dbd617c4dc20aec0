import pytest

from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.villes import MissionFactory, VilleFactory
from tests.helpers import axe_violations, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_signs_in_and_opens_a_town_page_without_accessibility_violations(live_server, page):
    """A lead signs in, opens their town page; axe finds no serious or critical violation on home, town and directory."""
    lead = ChefDeProjetFactory(email="cheffe@vierzon.fr", first_name="Nora", last_name="Vidal")
    ville = VilleFactory(nom="Vierzon", slug="vierzon", presentation="Reconquête des **friches** industrielles.")
    MissionFactory(personne=lead, ville=ville)
    VilleFactory.create_batch(5)

    page.goto(live_server.url + "/")
    assert axe_violations(page) == []

    login(page, live_server.url, "cheffe@vierzon.fr")
    assert page.get_by_role("heading", name="Bonjour Nora").is_visible()
    page.get_by_role("link", name="Vierzon").first.click()
    page.wait_for_url("**/villes/vierzon/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vierzon")
    assert "friches" in page.content()
    assert axe_violations(page) == []

    page.goto(live_server.url + "/annuaire/")
    assert page.get_by_role("heading", name="Nora Vidal").is_visible()
    assert axe_violations(page) == []

    page.goto(live_server.url + "/villes/carte/")
    assert axe_violations(page) == []

    # Keyboard users reach the content first.
    page.goto(live_server.url + "/villes/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
