"""In a real browser: staff keep an article from the queue, write its summary, compose and publish
an edition; a project lead reads it; axe finds no serious or critical violation on the way."""

from __future__ import annotations

import pytest
from django.utils import timezone

from panorama.models import AbonnementEdition, ArticlePresse, Edition
from reseau_acv.core.models import Courriel
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory
from tests.factories.panorama import ArticleFactory
from tests.helpers import axe_violations, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_curate_and_publish_an_edition_that_a_lead_reads(live_server, page, villes):
    """Keep → summary → compose → publish as staff; the subscribed lead reads the edition and its PDF link."""
    staff = EquipeFactory(email="animation@villesaucarre.fr")
    lead = ChefDeProjetFactory(email="cheffe@blois.fr")
    AbonnementEdition.objects.create(membre=lead, actif=True)
    article = ArticleFactory(
        titre="Blois : la rue du Commerce rouvre après six mois de travaux",
        statut=ArticlePresse.Statut.A_TRIER,
        resume="",
        villes=[villes["blois"]],
    )

    login(page, live_server.url, staff.email)
    page.goto(live_server.url + "/panorama/tri/")
    page.get_by_role("heading", name="Articles à trier").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Trier : {article.titre}").click()
    page.get_by_role("heading", name=article.titre).wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Résumé de l'équipe").fill("La rue rouvre : trottoirs élargis, commerçants soulagés.")
    page.get_by_role("button", name="Retenir").click()
    page.get_by_text("Article retenu").wait_for()
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.RETENU

    page.goto(live_server.url + "/panorama/editions/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Composer une édition").click()
    today = timezone.localdate()
    page.get_by_label("Titre").fill("Panorama du mois")
    page.get_by_label("Début de la période").fill(today.replace(day=1).isoformat())
    page.get_by_label("Fin de la période").fill(today.isoformat())
    page.get_by_label("Introduction").fill("Ce mois-ci, **le commerce** de centre-ville.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("heading", name="Panorama du mois").wait_for()
    assert page.get_by_role("heading", name="Blois").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publier l'édition").click()
    page.get_by_text("Édition publiée").wait_for()
    edition = Edition.objects.get(titre="Panorama du mois")
    assert edition.statut == Edition.Statut.PUBLIEE
    assert list(Courriel.objects.filter(objet_envoi="panorama.edition").values_list("destinataire", flat=True)) == [
        lead.email
    ]

    page.context.clear_cookies()
    login(page, live_server.url, lead.email)
    page.goto(live_server.url + edition.get_absolute_url())
    page.get_by_text("La rue rouvre : trottoirs élargis, commerçants soulagés.").wait_for()
    assert page.get_by_role("link", name="Télécharger l'édition en PDF").is_visible()
    assert axe_violations(page) == []
    page.goto(live_server.url + "/panorama/")
    page.get_by_role("link", name=article.titre).wait_for()
    assert axe_violations(page) == []
    page.goto(live_server.url + villes["blois"].get_absolute_url())
    page.get_by_role("heading", name="Dans la presse").wait_for()
    assert axe_violations(page) == []
