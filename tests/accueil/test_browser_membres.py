"""In a real browser: a new lead's first steps, « Pour bien démarrer », their question reaching the
member who knows (« Solliciter »), a member page and « Mes contributions »; axe finds no serious
violation and nothing scrolls sideways at 375 pixels."""

from __future__ import annotations

import re

import pytest

from reseau_acv.core.models import Notification, Theme
from ressources.models import RetourExperience, Statut
from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.ressources import RessourceFactory, RetourExperienceFactory
from tests.factories.villes import MissionFactory, VilleFactory
from tests.helpers import axe_violations, login

NARROW = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}


def _checked(page) -> list[str]:
    """axe, and sideways scrolling at 375 px, for the page now shown."""
    problems = [f"{v['id']} {v['nodes']}" for v in axe_violations(page)]
    page.set_viewport_size(NARROW)
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{page.url}: défilement horizontal à 375 px")
    page.set_viewport_size(WIDE)
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_lead_starts_asks_and_reaches_the_member_who_knows(live_server, page):
    """First steps → « Pour bien démarrer » → a question → « Solliciter » the sheet's author → member page → contributions."""
    commerce = Theme.objects.get(slug="commerce")
    newcomer = ChefDeProjetFactory(first_name="Inès", premiers_pas_le=None)
    MissionFactory(personne=newcomer, ville=VilleFactory(nom="Gien", population=13000))
    expert = ChefDeProjetFactory(first_name="Thomas", last_name="Girard")
    sheet = RetourExperienceFactory(
        auteur=expert,
        titre="Occuper les cellules vacantes avec des boutiques à l'essai",
        ville=VilleFactory(nom="Chartres", population=38000),
        type_difficulte=RetourExperience.Difficulte.VACANCE_COMMERCIALE,
    )
    sheet.themes.set([commerce])
    RessourceFactory(auteur=newcomer, titre="Mon brouillon de diagnostic", statut=Statut.BROUILLON, publie_le=None)
    page.set_viewport_size(WIDE)
    problems = []

    login(page, live_server.url, newcomer.email)
    page.goto(live_server.url + "/tableau-de-bord/")
    page.get_by_role("link", name="Répondre (une minute)").click()
    page.wait_for_url("**/bienvenue/")
    problems += _checked(page)
    assert page.get_by_role("checkbox", name=re.compile(r"^Gien \(")).is_checked()  # the mission town, pre-filled
    page.get_by_label(commerce.nom).check()
    page.get_by_label("Chaque jour").check()
    page.get_by_role("button", name="C'est parti").click()
    page.wait_for_url("**/tableau-de-bord/")
    page.get_by_role("heading", name="Pour bien démarrer").wait_for()
    problems += _checked(page)

    page.get_by_role("link", name=sheet.titre).first.click()
    page.wait_for_url(f"**{sheet.get_absolute_url()}")

    page.goto(live_server.url + "/ressources/questions/poser/")
    page.get_by_label("Question").fill("Comment lutter contre la vacance commerciale ?")
    page.get_by_label(commerce.nom).check()
    page.get_by_role("button", name="Poser la question").click()
    page.get_by_role("heading", name="Qui pourrait répondre ?").wait_for()
    problems += _checked(page)
    page.get_by_role("button", name="Solliciter Thomas Girard").click()
    page.get_by_text("ce membre est prévenu de votre question").wait_for()
    assert Notification.objects.filter(destinataire=expert, type="sollicitation").count() == 1

    page.get_by_role("link", name="Thomas Girard").first.click()
    page.get_by_role("heading", name="Thomas Girard", level=1).wait_for()
    problems += _checked(page)

    page.goto(live_server.url + "/mon-compte/contributions/")
    problems += _checked(page)
    page.get_by_role("button", name="Proposer « Mon brouillon de diagnostic »").click()
    page.get_by_text("attend la validation de l'équipe").wait_for()
    assert problems == []
