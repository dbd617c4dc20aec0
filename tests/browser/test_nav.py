"""The header in a real browser: one line at 1280 px, « Mon compte » usable by keyboard and at 375 px."""

from io import BytesIO

import pytest
from PIL import Image

from reseau_acv.comptes.models import User
from tests.factories.comptes import ChefDeProjetFactory
from tests.helpers import axe_violations, login

HEADER_ROW = """() => {
  const middles = [...document.querySelectorAll('.site-header .brand, .site-nav > ul > li')].map(el => {
    const box = el.getBoundingClientRect();
    return box.top + box.height / 2;
  });
  return Math.max(...middles) - Math.min(...middles);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_member_header_fits_one_line_and_the_account_menu_works_by_keyboard(live_server, page):
    """At 1280 px the brand and the nine items sit on one row (with 12 unread); Enter opens « Mon compte », Escape closes it."""
    member = ChefDeProjetFactory(email="lea@blois.fr", first_name="Léa", last_name="Martin-Dubois")
    User.objects.filter(pk=member.pk).update(notifications_non_lues=12)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server.url, "lea@blois.fr")
    page.goto(live_server.url + "/tableau-de-bord/")
    assert page.evaluate(HEADER_ROW) < 10  # the vertical middles of the brand and of every item: one row
    assert page.get_by_role("link", name="Notifications 12 non lues").is_visible()

    summary = page.locator("summary", has_text="Mon compte")
    summary.focus()
    page.keyboard.press("Enter")
    contributions = page.locator(".site-nav").get_by_role("link", name="Mes contributions")
    assert contributions.is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Mon profil"
    page.keyboard.press("Escape")
    assert not contributions.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    # A click elsewhere closes it too.
    summary.click()
    assert contributions.is_visible()
    page.locator("h1").click()
    assert not contributions.is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_at_375_px_the_account_menu_opens_inside_the_screen_and_leads_to_its_pages(live_server, page):
    """On a phone « Mon compte » opens in the page flow, every link within the screen; « Mes contributions » opens it; sign-out works."""
    ChefDeProjetFactory(email="lea@blois.fr")
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server.url, "lea@blois.fr")
    page.goto(live_server.url + "/tableau-de-bord/")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.locator("summary", has_text="Mon compte").click()
    for name in ["Mon profil", "Mes contributions", "Ce que je suis", "Mon récapitulatif", "Mes données"]:
        box = page.locator(".site-nav").get_by_role("link", name=name).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.locator(".site-nav").get_by_role("link", name="Mes contributions").click()
    page.wait_for_url("**/mon-compte/contributions/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes contributions"

    page.locator("summary", has_text="Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Se connecter").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_below_a_short_page_the_footer_colour_continues(live_server, page):
    """On a page shorter than the window, the bottom of the screen is the footer's colour, not a grey band under it."""
    ChefDeProjetFactory(email="lea@blois.fr")
    page.set_viewport_size({"width": 1280, "height": 1400})
    login(page, live_server.url, "lea@blois.fr")
    page.goto(live_server.url + "/notifications/")
    footer = page.evaluate("getComputedStyle(document.querySelector('.site-footer')).backgroundColor")
    assert page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom") < 1390
    pixel = page.screenshot(clip={"x": 5, "y": 1395, "width": 1, "height": 1})
    red, green, blue = Image.open(BytesIO(pixel)).convert("RGB").getpixel((0, 0))
    assert footer == f"rgb({red}, {green}, {blue})"
