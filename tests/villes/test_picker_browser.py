"""The town picker in a real browser, among every ACV town and PVD commune of France:
keyboard only, at 375 pixels wide, with axe."""

import re

import pytest
from playwright.sync_api import expect

from ressources.models import Question
from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.ressources import RessourceFactory
from tests.helpers import axe_violations, login
from villes.models import Ville
from villes.services import villes_import_national, villes_import_reference

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def france(transactional_db):
    villes_import_reference()
    villes_import_national()
    return Ville.objects.count()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_chooses_two_towns_among_all_of_france_with_the_keyboard_on_a_phone(live_server, page, france):
    """Typing, arrows and Enter add towns as checked chips; the question is saved with them; axe is clean at 375 px."""
    assert france > 1800
    ChefDeProjetFactory(email="cheffe@bourges.fr")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "cheffe@bourges.fr")
    page.goto(live_server.url + "/ressources/questions/poser/")
    page.get_by_role("textbox", name=re.compile(r"^Question")).fill("Qui a lancé une OPAH-RU avec un volet commerces ?")

    combo = page.get_by_role("combobox", name="Villes")
    combo.focus()
    page.keyboard.type("saint-amand-m")
    expect(page.get_by_role("option", name="Saint-Amand-Montrond (18)")).to_be_visible()
    assert axe_violations(page) == []
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chip = page.get_by_role("checkbox", name="Saint-Amand-Montrond (18)")
    expect(chip).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="ajoutée")).to_contain_text("1 ville choisie")

    combo = page.get_by_role("combobox", name="Villes")
    expect(combo).to_be_focused()
    expect(combo).to_have_value("")
    page.keyboard.type("bourge")
    expect(page.get_by_role("option", name="Bourges (18)")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="Bourges (18)")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []

    page.get_by_role("button", name=re.compile("Poser|Publier|Envoyer")).click()
    page.wait_for_url(re.compile(r"/ressources/questions/[a-z0-9-]+/$"))
    question = Question.objects.get()
    assert sorted(v.nom for v in question.villes.all()) == ["Bourges", "Saint-Amand-Montrond"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_library_filter_suggests_towns_with_their_number_of_resources(live_server, page, france):
    """The library's town filter suggests only towns with resources, with their number, and filters on Enter."""
    bourges = Ville.objects.get(code_insee="18033")
    RessourceFactory(titre="Guide des vitrines", visibilite="public").villes.add(bourges)
    RessourceFactory(titre="Étude des halles", visibilite="public").villes.add(bourges)
    page.goto(live_server.url + "/ressources/")
    combo = page.get_by_role("combobox", name="Ville")
    combo.focus()
    page.keyboard.type("bour")
    option = page.get_by_role("option", name=re.compile(r"Bourges \(18\)"))
    expect(option).to_contain_text("2 ressources")
    expect(page.locator(".autocomplete__menu").get_by_role("option")).to_have_count(1)  # Bourg-en-Bresse: none
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(combo).to_have_value("Bourges (18)")
    combo.press("Enter")  # submits the filter form
    page.wait_for_url(re.compile(r"ville=Bourges"))
    expect(page.get_by_role("link", name="Guide des vitrines")).to_be_visible()
    assert axe_violations(page) == []
