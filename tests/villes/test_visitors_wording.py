"""What a visitor who is not signed in reads where some content is kept for members."""

import pytest

from reseau_acv.core.visibility import Visibilite
from ressources.models import Statut
from tests.factories.rencontres import RencontreFactory
from tests.factories.ressources import QuestionFactory, RessourceFactory, RetourExperienceFactory
from tests.factories.villes import MissionFactory, VilleFactory

LOGIN = '<a href="/compte/login/?next='


@pytest.fixture
def bourges(db):
    return VilleFactory(nom="Bourges", slug="bourges")


def _page(client, url: str) -> str:
    return client.get(url).content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_a_town_page_says_its_resources_are_for_members(client, bourges):
    """A visitor does not read « Aucune ressource » on a town page whose resources are for members."""
    RessourceFactory(visibilite=Visibilite.RESEAU).villes.add(bourges)
    page = _page(client, "/villes/bourges/")
    assert "Aucune ressource partagée pour cette ville." not in page
    assert "Les ressources et retours d'expérience sur cette ville sont réservés aux membres du réseau." in page
    assert LOGIN + "/villes/bourges/" in page


@pytest.mark.django_db
def test_a_town_page_says_some_more_are_for_members(client, bourges):
    """With a public resource and a members-only experience sheet, the visitor sees the first and is told of others."""
    RessourceFactory(titre="Guide public", visibilite=Visibilite.PUBLIC).villes.add(bourges)
    RetourExperienceFactory(ville=bourges, visibilite=Visibilite.PARTENAIRES)
    page = _page(client, "/villes/bourges/")
    assert "Guide public" in page
    assert "D'autres ressources et retours d'expérience sur cette ville sont réservés aux membres du réseau." in page


@pytest.mark.django_db
def test_a_town_without_any_resource_says_so_plainly(client, bourges):
    """Nothing hidden, nothing published: « Aucune ressource », no sign-in invitation; drafts do not count."""
    RessourceFactory(visibilite=Visibilite.RESEAU, statut=Statut.PROPOSE).villes.add(bourges)
    page = _page(client, "/villes/bourges/")
    assert "Aucune ressource partagée pour cette ville." in page
    assert "réservé" not in page


@pytest.mark.django_db
def test_a_town_page_says_its_leads_and_meetings_are_for_members(client, bourges):
    """The leads' section and the meetings the town hosts are announced as members-only, not left out silently."""
    MissionFactory(ville=bourges)
    RencontreFactory(ville=bourges, visibilite=Visibilite.RESEAU)
    page = _page(client, "/villes/bourges/")
    assert "Les chef·fes de projet de cette ville et leurs coordonnées sont visibles des membres du réseau." in page
    assert "Les rencontres accueillies par cette ville sont réservées aux membres du réseau." in page


@pytest.mark.django_db
def test_members_read_no_such_notice(client_for, bourges):
    """A signed-in lead sees the content itself, with no « réservé aux membres » line."""
    RessourceFactory(titre="Étude OPAH-RU", visibilite=Visibilite.RESEAU).villes.add(bourges)
    page = _page(client_for("chef_de_projet"), "/villes/bourges/")
    assert "Étude OPAH-RU" in page
    assert "réservé" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "make", "empty", "notice"),
    [
        (
            "/ressources/",
            lambda: RessourceFactory(visibilite=Visibilite.RESEAU),
            "Aucune ressource publique ne correspond à ces critères.",
            "Vous voyez les ressources publiques ; les autres sont réservées aux membres du réseau.",
        ),
        (
            "/ressources/retours/",
            lambda: RetourExperienceFactory(visibilite=Visibilite.RESEAU),
            "Aucun retour d'expérience public ne correspond à ces critères.",
            "Vous voyez les retours d'expérience publics\u00a0; les autres sont réservés aux membres du réseau.",
        ),
        (
            "/ressources/questions/",
            lambda: QuestionFactory(visibilite=Visibilite.RESEAU),
            "Aucune question publique ne correspond à ces critères.",
            "Vous voyez les questions publiques\u00a0; les autres sont réservées aux membres du réseau.",
        ),
        (
            "/rencontres/",
            lambda: RencontreFactory(visibilite=Visibilite.RESEAU),
            "Aucune rencontre ouverte à tous ne correspond à ces critères.",
            "Vous voyez les rencontres ouvertes à tous\u00a0; les autres sont réservées aux membres du réseau.",
        ),
    ],
)
def test_lists_tell_visitors_what_they_do_not_see(client, url, make, empty, notice):
    """An empty list says « aucune … publique » and that members see more, with a sign-in link."""
    make()
    page = _page(client, url)
    assert empty in page
    assert notice in page
    assert LOGIN in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "make", "notice"),
    [
        (
            "/ressources/retours/",
            lambda: RetourExperienceFactory(visibilite=Visibilite.RESEAU),
            "Vous voyez les retours d'expérience ouverts aux partenaires\u00a0; les autres sont réservés aux chef·fes de projet et à l'équipe d'animation.",
        ),
        (
            "/ressources/questions/",
            lambda: QuestionFactory(visibilite=Visibilite.RESEAU),
            "Vous voyez les questions ouvertes aux partenaires\u00a0; les autres sont réservées aux chef·fes de projet et à l'équipe d'animation.",
        ),
        (
            "/rencontres/",
            lambda: RencontreFactory(visibilite=Visibilite.RESEAU),
            "Vous voyez les rencontres ouvertes aux partenaires\u00a0; les autres, dont les séances de travail, sont réservées aux chef·fes de projet et à l'équipe d'animation.",
        ),
    ],
)
def test_lists_tell_partners_what_is_kept_for_the_leads(client, url, make, notice):
    """A partner facing an empty list learns the content is the leads', not that there is none; a lead is not told."""
    from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory

    make()
    client.force_login(PartenaireFactory())
    assert notice in _page(client, url)
    client.force_login(ChefDeProjetFactory())
    assert notice not in _page(client, url)
