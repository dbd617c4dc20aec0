"""In a real browser: a lead sets their e-mail preferences and unsubscribes from a received
digest's link; staff open the animation dashboard; axe finds no serious violation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reseau_acv.accueil import services
from reseau_acv.accueil.digest import period_for
from reseau_acv.accueil.models import Frequence, Preferences
from reseau_acv.core.outbox import outbox_flush
from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory
from tests.factories.villes import MissionFactory
from tests.helpers import axe_violations, login

from .conftest import make_article, make_ressource


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lead_sets_preferences_then_unsubscribes_from_the_digest_link(live_server, page):
    """A lead chooses a daily digest, receives one, and unsubscribes from its link in one click."""
    lead = ChefDeProjetFactory(email="cheffe@vierzon.fr", first_name="Inès")
    login(page, live_server.url, lead.email)

    page.goto(live_server.url + "/tableau-de-bord/")
    page.locator("#panel-courriels").locator("..").get_by_role("link", name="Mon récapitulatif").click()
    page.wait_for_url("**/mon-compte/courriels/")
    assert axe_violations(page) == []
    page.get_by_label("Chaque jour").check()
    page.get_by_label("la presse et le panorama").uncheck()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    page.get_by_text("Vos préférences de courriel sont enregistrées.").wait_for()
    preferences = Preferences.objects.get(user=lead)
    assert (preferences.frequence, preferences.section_presse) == (Frequence.QUOTIDIENNE, False)

    period = period_for(Frequence.QUOTIDIENNE, timezone.now())
    make_ressource(
        "Guide du commerce de centre-ville", visibilite=Visibilite.RESEAU, publie_le=period.start + timedelta(hours=10)
    )
    assert services.digest_run(frequence=Frequence.QUOTIDIENNE).sent == 1
    outbox_flush()
    [digest] = mail.outbox
    assert "Guide du commerce de centre-ville" in digest.body
    link = re.search(r"http://testserver(/desabonnement/\S+/)", digest.body).group(1)

    page.context.clear_cookies()  # the link works without a session
    page.goto(live_server.url + link)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirmer le désabonnement").click()
    page.get_by_role("heading", name="Désabonnement enregistré").wait_for()
    assert axe_violations(page) == []
    assert Preferences.objects.get(user=lead).frequence == Frequence.AUCUNE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_open_the_animation_dashboard_and_its_tables(live_server, page):
    """Staff reach the animation dashboard from theirs; charts, tables and exports are accessible."""
    staff = EquipeFactory(email="animation@villesaucarre.fr")
    mission = MissionFactory()
    make_article("Le centre-ville dans la presse", villes=[mission.ville], publie_le=timezone.now())
    login(page, live_server.url, staff.email)

    page.goto(live_server.url + "/tableau-de-bord/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Animation du réseau : chiffres et graphiques").click()
    page.wait_for_url("**/animation/")
    assert page.get_by_role("img", name="Mentions dans la presse par ville et par mois").is_visible()
    page.locator("#presse-villes-mois summary").click()
    assert page.locator("#presse-villes-mois table").is_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger « Portée du résumé")).click()
    assert download.value.suggested_filename == "reseau-acv-portee-resume.csv"
