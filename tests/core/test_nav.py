"""The header: what each role finds in it, the bell's count, the « Mon compte » menu."""

from html.parser import HTMLParser

import pytest

from reseau_acv.comptes.models import User
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory

pytestmark = pytest.mark.django_db

MEMBER_ITEMS = [
    "Tableau de bord",
    "Villes",
    "Ressources",
    "Rencontres",
    "Panorama de presse",
    "Annuaire",
    "Rechercher",
    "Notifications",
    "Mon compte",
]
ACCOUNT_MENU = [
    "Mon profil",
    "Mes contributions",
    "Mes inscriptions aux rencontres",
    "Ce que je suis",
    "Mes choix de notification",
    "Mon récapitulatif",
    "Mes données",
    "Se déconnecter",
]


class _NavParser(HTMLParser):
    """The text of each item of the main navigation, and of each item of its « Mon compte » menu."""

    def __init__(self):
        super().__init__()
        self.in_nav = False
        self.depth = 0  # how many <ul> deep inside the nav
        self.items: list[str] = []
        self.menu: list[str] = []
        self.current: dict[str, str] = {}
        self._href = None
        self._skip = False
        self._hidden = 0  # inside an element hidden from assistive technologies

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "nav" and "site-nav" in (values.get("class") or ""):
            self.in_nav = True
        if not self.in_nav:
            return
        if self._hidden or values.get("aria-hidden") == "true":
            self._hidden += 1
        if tag == "p" and values.get("class") == "account-menu-who":
            self._skip = True
        elif tag == "ul":
            self.depth += 1
        elif tag == "li":
            (self.items if self.depth == 1 else self.menu).append("")
        elif tag == "a":
            self._href = values.get("href")
            if values.get("aria-current") == "page":
                self.current[self._href] = ""

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
        if tag == "p":
            self._skip = False
        if self.in_nav and tag == "ul":
            self.depth -= 1
        if self.in_nav and tag == "nav":
            self.in_nav = False

    def handle_data(self, data):
        if not self.in_nav or not self.depth or self._skip or self._hidden:
            return
        target = self.items if self.depth == 1 else self.menu
        if target:
            target[-1] += data


def _nav(client, path="/") -> _NavParser:
    parser = _NavParser()
    parser.feed(client.get(path).content.decode())
    parser.items = [" ".join(text.split()) for text in parser.items]
    parser.menu = [" ".join(text.split()) for text in parser.menu]
    return parser


def test_a_visitor_sees_the_public_sections_and_sign_in(client):
    """Anonymous: four public sections and « Se connecter », no member item."""
    assert _nav(client).items == ["Villes", "Ressources", "Rencontres", "Panorama de presse", "Se connecter"]


@pytest.mark.parametrize("factory", [PartenaireFactory, ChefDeProjetFactory, EquipeFactory])
def test_a_member_sees_nine_items_and_the_account_menu(client, factory):
    """Every member role: seven sections, the bell and « Mon compte », whose menu holds the personal pages and sign-out."""
    member = factory(first_name="Léa", last_name="Martin")
    client.force_login(member)
    nav = _nav(client, "/tableau-de-bord/")
    assert nav.items == MEMBER_ITEMS
    assert nav.menu == ACCOUNT_MENU
    page = client.get("/tableau-de-bord/").content.decode()
    assert 'class="account-menu-who">Léa Martin<' in page  # whose account it is, at the top of the menu


def test_the_bell_is_named_with_its_unread_count(client):
    """The bell is an icon: screen readers hear « Notifications 3 non lues », sighted users see « 3 »."""
    member = ChefDeProjetFactory()
    User.objects.filter(pk=member.pk).update(notifications_non_lues=3)
    client.force_login(member)
    assert _nav(client, "/tableau-de-bord/").items[7] == "Notifications 3 non lues"
    assert 'class="bell-count">3<' in client.get("/").content.decode()
    User.objects.filter(pk=member.pk).update(notifications_non_lues=120)
    assert _nav(client, "/").items[7] == "Notifications 120 non lues"  # the name says all
    assert 'class="bell-count">99+<' in client.get("/").content.decode()  # the badge stays small


def test_the_account_page_shown_is_marked_current_in_the_menu(client):
    """On « Ce que je suis », that menu link carries aria-current and « Mon compte » is underlined as current."""
    client.force_login(ChefDeProjetFactory())
    nav = _nav(client, "/mon-compte/suivis/")
    assert list(nav.current) == ["/mon-compte/suivis/"]
    assert '<summary class="is-current">' in client.get("/mon-compte/suivis/").content.decode()
    assert '<summary class="">' in client.get("/ressources/").content.decode()


def test_signing_out_from_the_menu_works(client):
    """« Se déconnecter » in the menu posts to sign-out: the dashboard then asks to sign in."""
    client.force_login(ChefDeProjetFactory())
    page = client.get("/").content.decode()
    assert 'action="/compte/logout/"' in page
    client.post("/compte/logout/")
    assert client.get("/tableau-de-bord/").status_code == 302


def test_the_digest_settings_page_has_one_name_everywhere(client):
    """« Mon récapitulatif »: the page's title and heading, the header menu, the account sub-nav and the dashboard all say it."""
    client.force_login(ChefDeProjetFactory())
    page = client.get("/mon-compte/courriels/").content.decode()
    assert "<h1>Mon récapitulatif</h1>" in page
    assert "<title>Mon récapitulatif —" in page
    assert "Mes courriels" not in page
    assert 'aria-current="page">Mon récapitulatif</a>' in page  # menu and sub-nav mark it
    assert ">Mon récapitulatif</a>" in client.get("/tableau-de-bord/").content.decode()


def test_opening_a_form_only_address_shows_a_page_not_a_blank_screen(client):
    """GET on an address that only takes a form (« s'inscrire », « suivre ») answers 405 with a page saying what to do."""
    client.force_login(ChefDeProjetFactory())
    response = client.get("/suivre/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert "Cette adresse ne s'ouvre pas directement" in page
    assert 'href="/tableau-de-bord/"' in page
