"""The exchange loop in a real browser: ask → answer (with a mention chosen from the suggestions)
→ the bell counts it → open the notification → land on the answer → it is read."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reseau_acv.core.models import Notification
from tests.factories.comptes import ChefDeProjetFactory
from tests.helpers import axe_violations, login

SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "/work/wt/screenshots/echanges"))


def _switch(page, live_server, email):
    page.context.clear_cookies()
    login(page, live_server.url, email)


def _shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_asker_hears_of_the_answer_and_reads_it(live_server, page):
    """A lead asks; another answers mentioning a third (picked from the suggestions with the
    keyboard); the asker's bell shows 1, the notification opens the answer's anchor and is read."""
    ChefDeProjetFactory(email="cheffe@blois.fr", first_name="Nora", last_name="Lefèvre")
    ChefDeProjetFactory(email="chef@vierzon.fr", first_name="Paul", last_name="Girard")
    helene = ChefDeProjetFactory(email="helene@gien.fr", first_name="Hélène", last_name="Martin")

    _switch(page, live_server, "cheffe@blois.fr")
    page.goto(live_server.url + "/ressources/questions/poser/")
    page.get_by_label("Question").fill("Comment lutter contre la vacance commerciale ?")
    page.get_by_role("button", name="Poser la question").click()
    page.wait_for_url("**/ressources/questions/comment-lutter-contre-la-vacance-commerciale/")
    question_url = page.url
    expect(page.get_by_role("button", name="Suivi ✓ — ne plus suivre")).to_be_visible()

    _switch(page, live_server, "chef@vierzon.fr")
    page.goto(question_url)
    answer = page.get_by_label("Votre message")
    answer.fill("Vierzon a ouvert des boutiques à l'essai. Voyez aussi @Hél")
    expect(page.get_by_role("option", name="Hélène Martin")).to_be_visible()
    _shot(page, "mention-suggestions")
    answer.press("Enter")
    expect(answer).to_have_value("Vierzon a ouvert des boutiques à l'essai. Voyez aussi @Hélène Martin ")
    page.get_by_role("button", name="Répondre").click()
    page.wait_for_url("**#message-*")
    expect(page.get_by_role("link", name="@Hélène Martin")).to_be_visible()

    _switch(page, live_server, "cheffe@blois.fr")
    page.goto(live_server.url + "/tableau-de-bord/")
    bell = page.get_by_role("link", name="Notifications 1 non lue")
    expect(bell).to_be_visible()
    _shot(page, "cloche-entete")
    page.set_viewport_size({"width": 375, "height": 800})
    page.locator("header").screenshot(path=str(SHOTS / "cloche-entete-375.png")) if SHOTS.is_dir() else None
    page.set_viewport_size({"width": 1280, "height": 800})
    bell.click()
    page.wait_for_url("**/notifications/")
    assert axe_violations(page) == []
    _shot(page, "notifications")
    page.get_by_role("link", name="Paul Girard a répondu à votre question").click()
    page.wait_for_url(f"{question_url}#message-*")
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("boutiques à l'essai")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # the count is gone
    assert Notification.objects.get(destinataire__email="cheffe@blois.fr").lue_le is not None
    assert Notification.objects.get(destinataire=helene).type == "mention"
