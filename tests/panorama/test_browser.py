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
    page.get_by_label("Résumé de l'équipe").fill("La rue rouvre : trottoirs élargis, commerçants soulagés.")
    page.get_by_role("button", name="Retenir", exact=True).click()
    page.get_by_text("1 article retenu.").wait_for()
    page.locator("form[data-curation][data-pending='0']").wait_for(state="attached")
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.RETENU
    assert article.resume == "La rue rouvre : trottoirs élargis, commerçants soulagés."

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
    page.get_by_role("heading", name="Composer « Panorama du mois »").wait_for()
    assert page.get_by_role("heading", name="Blois").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Voir l'aperçu").click()
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
    from pathlib import Path

    shots = Path("/work/wt/screenshots/panorama")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "edition-web.png"), full_page=True)
    page.goto(live_server.url + "/panorama/")
    page.get_by_role("link", name=article.titre).wait_for()
    assert axe_violations(page) == []
    page.goto(live_server.url + villes["blois"].get_absolute_url())
    page.get_by_role("heading", name="Dans la presse").wait_for()
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_articles_sorted_with_the_keyboard_in_under_sixty_keystrokes(live_server, page, villes):
    """Staff sort 50 waiting articles from the keyboard alone: one key each, under 60 keystrokes, no page load."""
    import time
    from pathlib import Path

    staff = EquipeFactory(email="animation@villesaucarre.fr")
    keep = {
        ArticleFactory(
            titre=f"Blois : la halle rouvre, épisode {i}", statut=ArticlePresse.Statut.A_TRIER, villes=[villes["blois"]]
        ).pk
        for i in range(35)
    }
    discard = {
        ArticleFactory(titre=f"Football : le derby, épisode {i}", statut=ArticlePresse.Statut.A_TRIER).pk
        for i in range(15)
    }
    login(page, live_server.url, staff.email)
    page.goto(live_server.url + "/panorama/tri/")
    page.get_by_role("heading", name="Raccourcis clavier").wait_for()
    assert axe_violations(page) == []
    shots = Path("/work/wt/screenshots/panorama")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "curation.png"), full_page=False)
    loads = []
    page.on("load", lambda _page: loads.append(1))

    keystrokes = 0
    started = time.monotonic()
    for _ in range(50):
        current = page.locator(".curation-item.is-current")
        title = current.locator("h2").inner_text()
        page.keyboard.press("r" if title.startswith("Blois") else "e")
        keystrokes += 1
    page.get_by_text("Cette page est triée").wait_for()
    page.locator("form[data-curation][data-pending='0']").wait_for(state="attached")  # every decision saved
    elapsed = time.monotonic() - started
    print(f"\ntri au clavier : 50 articles en {keystrokes} frappes, {elapsed:.1f} s")
    page.screenshot(path=str(shots / "curation-triee.png"), full_page=False)

    assert keystrokes < 60
    assert loads == []  # no page load: each decision went in the background
    kept = set(ArticlePresse.objects.filter(statut=ArticlePresse.Statut.RETENU).values_list("pk", flat=True))
    discarded = set(ArticlePresse.objects.filter(statut=ArticlePresse.Statut.ECARTE).values_list("pk", flat=True))
    assert (kept, discarded) == (keep, discard)
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_curation_works_without_javascript(live_server, browser, villes):
    """With JavaScript off, the buttons and the selection are plain forms that the server answers."""
    staff = EquipeFactory(email="animation@villesaucarre.fr")
    first = ArticleFactory(titre="Blois : premier", statut=ArticlePresse.Statut.A_TRIER, villes=[villes["blois"]])
    others = [ArticleFactory(titre=f"Blois : autre {i}", statut=ArticlePresse.Statut.A_TRIER) for i in range(2)]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, staff.email)
    page.goto(live_server.url + "/panorama/tri/")
    assert not page.get_by_role("heading", name="Raccourcis clavier").is_visible()  # shown only with JavaScript
    page.get_by_label("Résumé de l'équipe").first.fill("La halle rouvre.")
    page.get_by_role("button", name="Retenir", exact=True).first.click()
    page.get_by_text("1 article retenu.").wait_for()
    for article in others:
        page.get_by_role("checkbox", name=article.titre).check()
    page.get_by_role("button", name="Écarter la sélection").click()
    page.get_by_text("2 articles écartés.").wait_for()
    page.get_by_text("Rien à trier : tout est à jour.").wait_for()
    first.refresh_from_db()
    assert (first.statut, first.resume) == (ArticlePresse.Statut.RETENU, "La halle rouvre.")
    assert ArticlePresse.objects.filter(statut=ArticlePresse.Statut.ECARTE).count() == 2
    context.close()
