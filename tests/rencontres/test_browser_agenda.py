import pytest

from rencontres.models import PointOrdreDuJour
from tests.factories.comptes import EquipeFactory
from tests.helpers import axe_violations, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_add_agenda_rows_as_needed(live_server, page):
    """One empty row to start; « Ajouter un point » adds one in place with JavaScript; the form saves both; axe is clean."""
    EquipeFactory(email="animation@villesaucarre.fr")
    login(page, live_server.url, "animation@villesaucarre.fr")
    page.goto(live_server.url + "/rencontres/nouvelle/")
    assert axe_violations(page) == []
    titres = page.get_by_role("textbox", name="Intitulé (obligatoire)")
    assert titres.count() == 1

    page.get_by_label("Titre", exact=False).first.fill("Séance de travail des chef·fes de projet")
    page.get_by_label("Début").fill("2030-03-12T14:00")
    page.get_by_label("Fin", exact=False).first.fill("2030-03-12T16:30")
    titres.first.fill("Tour de table")
    page.get_by_role("button", name="Ajouter un point à l'ordre du jour").click()
    assert page.url.endswith("/rencontres/nouvelle/")  # no round trip
    assert titres.count() == 2
    assert page.evaluate("document.activeElement.name") == "points-1-titre"
    page.keyboard.type("Le plan de relance")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(lambda url: "/nouvelle/" not in url)
    assert list(PointOrdreDuJour.objects.order_by("ordre").values_list("ordre", "titre")) == [
        (1, "Tour de table"),
        (2, "Le plan de relance"),
    ]
