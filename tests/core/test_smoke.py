import pytest


@pytest.mark.django_db
def test_home_page_presents_the_network(client):
    """The public home page answers in French and names the network."""
    response = client.get("/")
    assert response.status_code == 200
    assert "Action Cœur de Ville" in response.content.decode()


@pytest.mark.django_db
def test_home_page_figures_are_kept_an_hour(client, django_assert_num_queries):
    """The home page's programmes, network towns and PVD count (reference data) are read once, then
    kept an hour: a second visit runs no query and shows the same."""
    from tests.factories.villes import ProgrammeFactory, VilleFactory

    pvd = ProgrammeFactory(code="pvd", nom="Petites villes de demain", sigle="PVD")
    VilleFactory(nom="Vierzon", reseau_regional=True)
    VilleFactory(nom="Aubigny-sur-Nère", programmes=[pvd])
    first = client.get("/").content.decode()
    assert "Vierzon" in first
    assert "Et 1 commune Petites villes de demain rejoint le réseau." in first
    with django_assert_num_queries(0):
        again = client.get("/").content.decode()
    assert again == first
