"""The agenda and the panorama's editions are paginated: no page lists everything."""

from datetime import timedelta

import pytest
from django.utils import timezone

from panorama.models import Edition
from tests.factories.panorama import EditionFactory
from tests.factories.rencontres import RencontreFactory

pytestmark = pytest.mark.django_db


def test_the_agenda_shows_twenty_meetings_a_page_with_the_total(client):
    """With 45 upcoming public meetings, each page lists 20, says 45 and links to the next page."""
    start = timezone.now() + timedelta(days=3)
    for i in range(45):
        RencontreFactory(
            titre=f"Séance {i:02d}",
            visibilite="public",
            debut=start + timedelta(days=i),
            fin=start + timedelta(days=i, hours=2),
        )
    page = client.get("/rencontres/").content.decode()
    assert "45 rencontres" in page
    assert "Séance 00" in page
    assert "Séance 20" not in page
    assert 'rel="next"' in page
    last = client.get("/rencontres/?page=3").content.decode()
    assert "Séance 44" in last
    assert "Séance 39" not in last


def test_the_editions_list_shows_twenty_editions_a_page(client):
    """With 25 published editions, the first page lists the 20 latest and the second the 5 others."""
    today = timezone.localdate()
    for i in range(25):
        debut = today - timedelta(weeks=i + 1)
        EditionFactory(
            titre=f"Semaine {i:02d}",
            debut=debut,
            fin=debut + timedelta(days=6),
            statut=Edition.Statut.PUBLIEE,
            visibilite="public",
        )
    first = client.get("/panorama/editions/").content.decode()
    assert "Semaine 00" in first
    assert "Semaine 19" in first
    assert "Semaine 20" not in first
    second = client.get("/panorama/editions/?page=2").content.decode()
    assert "Semaine 24" in second
    assert "Semaine 00" not in second
