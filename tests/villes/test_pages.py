import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.villes import MissionFactory, VilleFactory

# page → expected answer per role: 200, "login" (redirect to sign-in) or 404.
PAGES = {
    "/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/villes/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/villes/carte/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/villes/ville-test/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/villes/nexiste-pas/": {"anonyme": 404, "partenaire": 404, "chef_de_projet": 404, "equipe": 404},
    "/tableau-de-bord/": {"anonyme": "login", "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/annuaire/": {"anonyme": "login", "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/annuaire/inviter/": {"anonyme": "login", "partenaire": 404, "chef_de_projet": 404, "equipe": 200},
    "/comptes/profil/": {"anonyme": "login", "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/compte/login/": {"anonyme": 200, "partenaire": 302, "chef_de_projet": 302, "equipe": 302},
    "/compte/password/reset/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/compte/signup/": {"anonyme": 200, "partenaire": 302, "chef_de_projet": 302, "equipe": 302},
    "/compte/email/": {"anonyme": "login", "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/compte/password/change/": {"anonyme": "login", "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/robots.txt": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_answers_as_expected_for_every_role(client_for, role, path):
    """Each page answers each role as expected: a page that is not allowed is a 404 or a sign-in redirect."""
    VilleFactory(slug="ville-test", nom="Ville test")
    response = client_for(role).get(path)
    expected = PAGES[path][role]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.django_db
def test_signup_is_closed_without_an_invitation(client):
    """Nobody can create an account without an invitation."""
    page = client.get("/compte/signup/").content.decode()
    assert "Inscription sur invitation" in page
    assert "password1" not in page
    assert (
        client.post(
            "/compte/signup/",
            {"email": "x@exemple.fr", "password1": "a-long-password-1", "password2": "a-long-password-1"},
        ).status_code
        == 200
    )
    from reseau_acv.comptes.models import User

    assert not User.objects.filter(email="x@exemple.fr").exists()


@pytest.mark.django_db
def test_town_list_filters_by_programme_and_departement(client):
    """The town list filters by programme and by département."""
    from tests.factories.villes import ProgrammeFactory

    pvd = ProgrammeFactory(code="pvd", nom="Petites villes de demain", sigle="PVD")
    VilleFactory(nom="Gien-test", departement_code="45")
    VilleFactory(nom="Aubigny-test", departement_code="18", programmes=[pvd])
    page = client.get("/villes/?programme=pvd").content.decode()
    assert "Aubigny-test" in page
    assert "Gien-test" not in page
    page = client.get("/villes/?departement=45").content.decode()
    assert "Gien-test" in page
    assert "Aubigny-test" not in page


@pytest.mark.django_db
def test_town_list_departement_box_and_region_list_keep_the_choice(client):
    """The région list (written by one template loop) offers every région and keeps the chosen one
    selected; the département box (101 at national scale: typed, not listed) shows the chosen one."""
    VilleFactory(nom="Gien-test", departement_code="45", departement_nom="Loiret", region="Centre-Val de Loire")
    VilleFactory(nom="Laval-test", departement_code="53", departement_nom="Mayenne", region="Pays de la Loire")
    html = client.get("/villes/?departement=53&region=Pays+de+la+Loire").content.decode()
    assert 'name="departement" value="Mayenne (53)"' in html
    assert '<label for="id_departement">' in html
    assert '<option value="Pays de la Loire" selected>Pays de la Loire</option>' in html
    assert '<option value="Centre-Val de Loire">Centre-Val de Loire</option>' in html
    assert '<option value="">Toutes</option>' in html
    assert "Laval-test" in html
    assert "Gien-test" not in html


@pytest.mark.django_db
def test_directory_lists_only_members_who_consented(client):
    """People who did not consent are absent from the directory."""
    visible = ChefDeProjetFactory(last_name="Visible", consentement_annuaire=True)
    ChefDeProjetFactory(last_name="Discret", consentement_annuaire=False)
    client.force_login(PartenaireFactory())
    page = client.get("/annuaire/").content.decode()
    assert "Visible" in page
    assert visible.email in page
    assert "Discret" not in page


@pytest.mark.django_db
def test_town_page_shows_its_leads_to_members_only(client):
    """A town page names its project leads to signed-in members, not to anonymous visitors."""
    mission = MissionFactory(personne=ChefDeProjetFactory(last_name="Chefdeprojet"))
    url = mission.ville.get_absolute_url()
    assert "Chefdeprojet" not in client.get(url).content.decode()
    client.force_login(PartenaireFactory())
    assert "Chefdeprojet" in client.get(url).content.decode()


@pytest.mark.django_db
def test_map_draws_every_town_without_a_tile_server(client):
    """A département's map is an SVG drawn from the coordinates, with a link to each town and no external request."""
    villes = [VilleFactory() for _ in range(3)]
    page = client.get("/villes/carte/41/").content.decode()
    assert page.count('class="map-point') == 3
    for ville in villes:
        assert ville.get_absolute_url() in page
    assert "tile" not in page
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.django_db
def test_town_list_runs_the_same_queries_for_1_and_100_towns(client, django_assert_num_queries):
    """The town list keeps a constant number of SQL queries whatever the number of towns, and shows 50 a page."""
    VilleFactory()
    client.get("/villes/")  # the région and département choices are cached from the first visit
    # programmes of the filter, count, page of towns, their programmes
    with django_assert_num_queries(4):
        client.get("/villes/")
    VilleFactory.create_batch(99)
    with django_assert_num_queries(4):
        response = client.get("/villes/")
    assert response.content.decode().count('<th scope="row">') == 50
    assert "100 villes" in response.content.decode()
    assert 'rel="next"' in response.content.decode()
    assert client.get("/villes/?page=2").content.decode().count('<th scope="row">') == 50


@pytest.mark.django_db
def test_directory_runs_the_same_queries_for_1_and_100_members(client, django_assert_num_queries):
    """The directory keeps a constant number of SQL queries whatever the number of members, 24 a page."""
    viewer = PartenaireFactory(consentement_annuaire=False)
    client.force_login(viewer)
    MissionFactory()
    client.get("/annuaire/")  # warm the session and the cached département choices
    # Session, user, count, members, their missions, their themes of expertise, the themes filter's choices.
    with django_assert_num_queries(7):
        client.get("/annuaire/")
    for _ in range(99):
        MissionFactory()
    with django_assert_num_queries(7):
        response = client.get("/annuaire/")
    assert response.content.decode().count('class="card member"') == 24
    assert "100 membres" in response.content.decode()
    assert client.get("/annuaire/?page=5").content.decode().count('class="card member"') == 4


@pytest.mark.django_db
def test_town_page_runs_the_same_queries_with_or_without_meetings(client, django_assert_num_queries):
    """A town that hosted meetings costs the same queries as one that hosted none (only titles and dates show)."""
    from reseau_acv.core.visibility import Visibilite
    from tests.factories.rencontres import RencontreFactory

    ville = VilleFactory()
    client.get(ville.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as none:
        client.get(ville.get_absolute_url())
    for _ in range(3):
        RencontreFactory(ville=ville, visibilite=Visibilite.PUBLIC)
    with django_assert_num_queries(len(none)):
        page = client.get(ville.get_absolute_url()).content.decode()
    assert "Rencontres accueillies" in page


@pytest.mark.django_db
def test_the_departement_is_typed_not_picked_from_a_list_of_a_hundred(client):
    """The town list and the directory choose a département in a text box (name or number), not in a
    ``<select>`` of every département; the box suggests them as one types (JSON)."""
    VilleFactory(nom="Gien-test", departement_code="45", departement_nom="Loiret")
    VilleFactory(nom="Aubigny-test", departement_code="18", departement_nom="Cher")
    page = client.get("/villes/", {"departement": "loiret"}).content.decode()
    assert "Gien-test" in page
    assert "Aubigny-test" not in page
    assert 'name="departement" value="Loiret (45)"' in page
    assert '<select name="departement"' not in page
    unknown = client.get("/villes/", {"departement": "Bretagne"}).content.decode()
    assert "« Bretagne » : aucun département de ce nom" in unknown
    suggested = client.get(reverse("villes:departement-choices"), {"q": "che"}).json()["results"]
    assert suggested == [{"code": "18", "label": "Cher (18)"}]


@pytest.mark.django_db
def test_directory_filters_by_a_typed_departement(client):
    gien = VilleFactory(nom="Gien-test", departement_code="45", departement_nom="Loiret")
    aubigny = VilleFactory(nom="Aubigny-test", departement_code="18", departement_nom="Cher")
    loiret = ChefDeProjetFactory(last_name="Duloiret", consentement_annuaire=True)
    cher = ChefDeProjetFactory(last_name="Ducher", consentement_annuaire=True)
    MissionFactory(personne=loiret, ville=gien)
    MissionFactory(personne=cher, ville=aubigny)
    client.force_login(PartenaireFactory())
    page = client.get("/annuaire/", {"departement": "Loiret"}).content.decode()
    assert "Duloiret" in page
    assert "Ducher" not in page


@pytest.mark.django_db
def test_the_regional_network_filter_reads_as_a_visitor_reads_it(client):
    VilleFactory(nom="Blois-test", reseau_regional=True)
    VilleFactory(nom="Agen-test", reseau_regional=False, departement_code="47", departement_nom="Lot-et-Garonne")
    page = client.get("/villes/").content.decode()
    assert '<option value="" selected>Toutes les villes</option>' in page
    assert "Inconnu" not in page
    only = client.get("/villes/", {"reseau": "true"}).content.decode()
    assert "Blois-test" in only
    assert "Agen-test" not in only
