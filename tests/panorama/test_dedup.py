"""De-duplication: canonical links, GUIDs, one story with several sources, idempotent re-ingestion."""

import feedparser
import pytest

from panorama import services
from panorama.dedup import canonical_url
from panorama.models import ArticlePresse, Parution
from tests.factories.panorama import SourceFactory

from .conftest import ATOM, RSS

pytestmark = pytest.mark.django_db


def entries(xml: str):
    return list(feedparser.parse(xml.encode()).entries)


def test_canonical_url_drops_tracking_fragment_and_default_port():
    """Tracking parameters, the fragment, the default port and host case do not make a new link."""
    assert (
        canonical_url("https://Presse.Example:443/a/b/?utm_source=rss&id=3&xtor=RSS-1&fbclid=x#haut")
        == "https://presse.example/a/b?id=3"
    )
    assert canonical_url("http://presse.example/a?b=2&a=1") == "http://presse.example/a?a=1&b=2"


def test_same_link_with_and_without_tracking_is_one_article(villes):
    """The same link seen bare in one feed and with utm_* in another is stored once."""
    first, second = SourceFactory(), SourceFactory()
    services.ingest_entries(source=first, entries=entries(RSS))
    bare = RSS.replace("?utm_source=rss&amp;utm_medium=flux#haut", "")
    report = services.ingest_entries(source=second, entries=entries(bare))
    assert (report.known, report.created) == (3, 0)
    assert Parution.objects.filter(url_canonique="https://presse.example/blois-rue-du-commerce").count() == 1


def test_same_story_from_two_titles_is_one_story_with_two_sources(villes):
    """A near-identical title from another newspaper within days joins the story as a second source."""
    nr, echo = SourceFactory(nom="La Nouvelle République"), SourceFactory(nom="L'Écho Républicain", departements="28")
    services.ingest_entries(source=nr, entries=entries(RSS))
    report = services.ingest_entries(source=echo, entries=entries(ATOM))
    assert (report.created, report.merged) == (1, 1)
    story = ArticlePresse.objects.get(titre__startswith="Blois")
    assert sorted(p.source.nom for p in story.parutions.all()) == ["L'Écho Républicain", "La Nouvelle République"]
    assert ArticlePresse.objects.filter(empreinte__contains="rue commerce rouvre").count() == 1


def test_re_ingesting_changes_nothing(villes):
    """Reading the same feed again creates no article, no appearance and no tag."""
    source = SourceFactory()
    services.ingest_entries(source=source, entries=entries(RSS))
    before = (ArticlePresse.objects.count(), Parution.objects.count(), ArticlePresse.villes.through.objects.count())
    report = services.ingest_entries(source=source, entries=entries(RSS))
    assert (report.created, report.merged, report.known) == (0, 0, 3)
    after = (ArticlePresse.objects.count(), Parution.objects.count(), ArticlePresse.villes.through.objects.count())
    assert before == after


def test_same_guid_with_a_new_link_is_not_a_new_article(villes):
    """A source that changes an entry's link but keeps its GUID does not duplicate it."""
    source = SourceFactory()
    services.ingest_entries(source=source, entries=entries(RSS))
    moved = RSS.replace("https://presse.example/romorantin-marche", "https://presse.example/v2/romorantin-marche")
    assert services.ingest_entries(source=source, entries=entries(moved)).known == 3


def test_stories_far_apart_in_time_stay_separate(villes):
    """The same title a month later is a new story, not the old one."""
    source = SourceFactory()
    services.ingest_entries(source=source, entries=entries(RSS))
    later = RSS.replace("Oct 2026", "Nov 2026").replace("presse.example/", "presse.example/novembre/")
    report = services.ingest_entries(source=source, entries=entries(later.replace("<guid>rss-", "<guid>nov-")))
    assert report.created == 3


def test_plain_text_keeps_a_tidy_line_as_it_is_and_tidies_the_others():
    """A title already on one line is returned unchanged; any other spacing is tidied as before."""
    import random

    from panorama.feeds import plain

    rng = random.Random(3)
    spaces = [" ", "\t", "\n", "\r", "\x0b", "\x1c", "\xa0", "\u2009", "\u202f", "a", "é", "B"]
    for _ in range(20000):
        text = "".join(rng.choices(spaces, k=rng.randint(1, 8)))
        assert plain(text) == " ".join(text.split())
    tidy = "Blois : la halle rouvre"
    assert plain(tidy) is tidy
    assert plain("<p>Blois&nbsp;:  la <b>halle</b></p>") == "Blois : la halle"
