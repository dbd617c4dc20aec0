"""The account's notification pages in a real browser, phone and desktop: axe finds nothing serious."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reseau_acv.core.notifications import follow_automatically, notify
from ressources.models import Question
from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.ressources import QuestionFactory
from tests.factories.villes import VilleFactory
from tests.helpers import axe_violations, login

SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "/work/wt/screenshots/echanges"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choices_follows_and_notifications_pages_on_phone_and_desktop(live_server, page):
    """Choices (a radio group per kind), follows (with « Ne plus suivre ») and notifications read
    well at 375 px and 1280 px; changing a choice with the keyboard saves it."""
    chef = ChefDeProjetFactory(email="cheffe@blois.fr", first_name="Nora", last_name="Lefèvre")
    questions = [QuestionFactory(titre=t) for t in ("Comment financer une OPAH-RU ?", "Qui a une foncière commerce ?")]
    follow_automatically(users=[chef], target=questions[0])
    follow_automatically(users=[chef], target=questions[1])
    follow_automatically(users=[chef], target=VilleFactory(nom="Vierzon"))
    for i, (question, text) in enumerate(
        [
            (questions[0], "Paul Girard a répondu à votre question"),
            (questions[0], "Hélène Martin a répondu à une question que vous suivez"),
            (questions[1], "Marc Petit vous a mentionné·e"),
        ]
    ):
        notify(
            kind="suivi",
            event=f"e{i}",
            actor=None,
            recipients=[chef],
            text=text,
            target=question,
            visible_to=Question.objects.visible_to,
            url=question.get_absolute_url(),
            excerpt="Vierzon a ouvert des boutiques à l'essai avec la foncière commerce de la ville.",
        )
    login(page, live_server.url, "cheffe@blois.fr")
    for width, suffix in ((375, "-375"), (1280, "")):
        page.set_viewport_size({"width": width, "height": 900})
        for path, name in (
            ("/notifications/", "notifications"),
            ("/mon-compte/notifications/", "choix"),
            ("/mon-compte/suivis/", "suivis"),
        ):
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], path
            if SHOTS.is_dir():
                page.screenshot(path=str(SHOTS / f"{name}{suffix}.png"), full_page=True)
    page.goto(live_server.url + "/mon-compte/notifications/")
    group = page.get_by_role("group", name="Une réponse ou un commentaire dans ce que je suis")
    group.get_by_role("radio", name="Par e-mail tout de suite").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix de notification sont enregistrés.")).to_be_visible()
    expect(group.get_by_role("radio", name="Par e-mail tout de suite")).to_be_checked()
    page.goto(live_server.url + "/mon-compte/suivis/")
    page.get_by_role("button", name="Ne plus suivre Vierzon").click()
    expect(page.get_by_text("Vous ne suivez plus ce contenu.")).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus suivre Vierzon")).to_have_count(0)
