"""Accessibility sweep: every page of the platform, for the role that sees it, checked with axe.

The data set is the demonstration seeding (the real towns, meetings, library and press); each
page must have no serious or critical axe violation, exactly one ``h1``, a French ``<title>``,
no sideways scrolling at 320 pixels wide and a visible focus ring on the first control of its
content.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.helpers import axe_violations, login

DEMO_PASSWORD = "demo-reseau-acv"  # noqa: S105 (the demo accounts' published password)
SITE_NAME = "Réseau ACV Centre-Val de Loire"
NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 720}

FOCUS_CHECK = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "aucun élément focalisé";
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return ring || style.boxShadow !== "none" ? "" : `pas d'anneau de focus sur ${el.outerHTML.slice(0, 80)}`;
}"""


def _seed():
    call_command("demo", stdout=StringIO())


def _problems(page, url: str, status: int = 200) -> list[str]:
    """Visit ``url`` and list what is wrong with it: axe, headings, title, language, focus."""
    response = page.goto(url)
    if response is None or response.status != status:
        return [f"{url}: HTTP {response.status if response else '?'}"]
    return _page_problems(page, url)


def _page_problems(page, url: str) -> list[str]:
    """What is wrong with the page now shown: axe, headings, title, language, reflow, focus."""
    found = []
    found += [f"{url}: {v['impact']} {v['id']} ({v['help']}) {v['nodes']}" for v in axe_violations(page)]
    h1 = page.locator("h1").count()
    if h1 != 1:
        found.append(f"{url}: {h1} h1")
    title = page.title()
    if not title.endswith(SITE_NAME) or not title.removesuffix(SITE_NAME).strip(" —"):
        found.append(f"{url}: titre « {title} »")
    if page.evaluate("document.documentElement.lang") != "fr":
        found.append(f"{url}: langue du document")
    # Reflow (WCAG 1.4.10): at 320 CSS pixels wide, nothing scrolls sideways but data tables.
    page.set_viewport_size(NARROW)
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append(f"{url}: défilement horizontal à 320 px")
    page.set_viewport_size(WIDE)
    # Keyboard: the skip link first, then the first control of the content shows a focus ring.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    if problem := page.evaluate(FOCUS_CHECK):
        found.append(f"{url}: {problem}")
    return found


def _sweep(page, base: str, paths: list[str | tuple[str, int]]) -> list[str]:
    found = []
    for path in paths:
        path, status = path if isinstance(path, tuple) else (path, 200)
        found += _problems(page, base + path, status)
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_pages_have_no_serious_accessibility_violation(live_server, page):
    """A visitor's pages (home, towns, map, library, agenda, press, search, sign-in) pass axe, with one h1 and a French title."""
    from rencontres.models import Rencontre
    from ressources.models import Ressource

    _seed()
    ressource = Ressource.objects.visible_to(None).order_by("pk").first()
    rencontre = Rencontre.objects.visible_to(None).order_by("pk").first()
    paths = [
        "/",
        "/villes/",
        "/villes/blois/",
        "/villes/avord/",
        "/villes/carte/",
        "/villes/carte/18/",
        "/ressources/",
        "/ressources/?q=habitat",
        f"/ressources/{ressource.slug}/",
        "/rencontres/",
        "/panorama/",
        "/recherche/",
        "/recherche/?q=commerce",
        "/compte/login/",
        "/compte/password/reset/",
        f"/rencontres/{rencontre.pk}/",
        "/compte/signup/",
        ("/comptes/invitation/lien-inconnu/", 410),
        ("/desabonnement/lien-inconnu/", 404),
        ("/page-inexistante/", 404),
    ]

    assert _sweep(page, live_server.url, paths) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partner_pages_have_no_serious_accessibility_violation(live_server, page):
    """A partner's pages (dashboard, directory, plenary archive, editions, preferences, profile, a refused form) pass axe."""
    from panorama.models import ArticlePresse, Edition
    from rencontres.models import Rencontre
    from reseau_acv.comptes.models import User

    _seed()
    partenaire = User.objects.get(email="partenaire@reseau-acv.test")
    edition = Edition.objects.visible_to(partenaire).order_by("pk").first()
    article = ArticlePresse.objects.visible_to(partenaire).order_by("pk").first()
    pleniere = (
        Rencontre.objects.visible_to(partenaire)
        .filter(type=Rencontre.Type.PLENIERE, debut__lt=timezone.now())
        .order_by("-debut")
        .first()
    )
    login(page, live_server.url, partenaire.email, DEMO_PASSWORD)
    paths = [
        "/tableau-de-bord/",
        "/annuaire/",
        "/rencontres/plenieres/",
        f"/rencontres/plenieres/{timezone.localtime(pleniere.debut).year}/",
        f"/rencontres/{pleniere.pk}/",
        "/panorama/",
        f"/panorama/articles/{article.pk}/",
        "/panorama/articles/proposer/",
        "/panorama/editions/",
        f"/panorama/editions/{edition.pk}/",
        "/mon-compte/courriels/",
        "/comptes/profil/",
        "/compte/email/",
        "/compte/password/change/",
        "/recherche/?q=habitat",
    ]

    found = _sweep(page, live_server.url, paths)
    # A refused form: the server's errors are announced and tied to their fields.
    page.goto(live_server.url + "/panorama/articles/proposer/")
    page.evaluate("document.querySelector('main form:not([role=search])').noValidate = true")
    page.get_by_role("button", name="Proposer").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() > 0
    found += _page_problems(page, "/panorama/articles/proposer/ (erreurs)")

    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lead_pages_have_no_serious_accessibility_violation(live_server, page):
    """A lead's pages (propose a resource, experience sheets, questions, a meeting they registered for) pass axe."""
    from rencontres.models import Inscription
    from reseau_acv.comptes.models import User
    from ressources.models import Question, RetourExperience

    _seed()
    chef = User.objects.get(email="chef.blois@reseau-acv.test")
    retour = RetourExperience.objects.visible_to(chef).order_by("pk").first()
    question = Question.objects.visible_to(chef).order_by("pk").first()
    inscription = (
        Inscription.objects.filter(membre=chef, statut=Inscription.Statut.INSCRIT, rencontre__debut__gt=timezone.now())
        .order_by("rencontre__debut")
        .first()
    )
    login(page, live_server.url, chef.email, DEMO_PASSWORD)
    paths = [
        "/tableau-de-bord/",
        "/ressources/proposer/",
        "/ressources/retours/",
        "/ressources/retours/proposer/",
        f"/ressources/retours/{retour.slug}/",
        "/ressources/questions/",
        "/ressources/questions/poser/",
        f"/ressources/questions/{question.slug}/",
        f"/rencontres/{inscription.rencontre_id}/",
        "/rencontres/mes-inscriptions/",
        "/villes/blois/",
    ]

    assert _sweep(page, live_server.url, paths) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_pages_have_no_serious_accessibility_violation(live_server, page):
    """The team's pages (moderation, curation, rules, sources, animation, meeting, edition and invitation forms) pass axe."""
    from panorama.models import ArticlePresse
    from panorama.services import edition_save
    from rencontres.models import Rencontre
    from reseau_acv.comptes.models import User
    from reseau_acv.core.visibility import Visibilite
    from ressources.models import Ressource

    _seed()
    equipe = User.objects.get(email="equipe@reseau-acv.test")
    brouillon = edition_save(
        actor=equipe,
        titre="Panorama de presse — brouillon",
        debut=date(2026, 11, 1),
        fin=date(2026, 11, 30),
        introduction="Les **friches** de Vierzon.",
        visibilite=Visibilite.PARTENAIRES,
    )
    ressource = Ressource.objects.visible_to(equipe).order_by("pk").first()
    a_trier = ArticlePresse.objects.filter(statut=ArticlePresse.Statut.A_TRIER).order_by("pk").first()
    rencontre = Rencontre.objects.visible_to(equipe).filter(debut__gt=timezone.now()).order_by("debut").first()
    login(page, live_server.url, equipe.email, DEMO_PASSWORD)
    paths = [
        "/tableau-de-bord/",
        "/ressources/moderation/",
        "/panorama/tri/",
        "/panorama/regles/",
        "/panorama/sources/",
        "/animation/",
        "/rencontres/nouvelle/",
        f"/rencontres/{rencontre.pk}/",
        f"/rencontres/{rencontre.pk}/modifier/",
        f"/rencontres/{rencontre.pk}/presences/",
        "/panorama/editions/nouvelle/",
        "/annuaire/inviter/",
        f"/ressources/{ressource.slug}/modifier/",
        f"/panorama/tri/{a_trier.pk}/",
        f"/panorama/editions/{brouillon.pk}/",
        f"/panorama/editions/{brouillon.pk}/modifier/",
    ]

    assert _sweep(page, live_server.url, paths) == []
