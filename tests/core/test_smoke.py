import pytest


@pytest.mark.django_db
def test_home_page_presents_the_network(client):
    """The public home page answers in French and names the network."""
    response = client.get("/")
    assert response.status_code == 200
    assert "Action Cœur de Ville" in response.content.decode()
