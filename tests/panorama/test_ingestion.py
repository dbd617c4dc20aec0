"""Ingestion from a local HTTP server: RSS, Atom, conditional requests, failures, address checks."""

import pytest
from django.urls import reverse
from django.utils import timezone

from panorama import selectors, services
from panorama.fetch import FetchError, fetch
from panorama.models import ArticlePresse, Parution, Source
from panorama.tasks import ingest_task
from tests.factories.panorama import SourceFactory

from .conftest import ETAG, FeedHandler

pytestmark = pytest.mark.django_db


def test_rss_feed_is_ingested_and_tagged(feed_server, regles):
    """An RSS 2.0 feed's entries become articles; those naming a town enter the curation queue."""
    source = SourceFactory(url_flux=f"{feed_server}/rss", departements="41")
    report = services.ingest_source(source_id=source.pk)
    assert (report.status, report.entries, report.created) == ("ok", 3, 3)
    blois = ArticlePresse.objects.get(titre__startswith="Blois")
    assert blois.statut == ArticlePresse.Statut.A_TRIER
    assert [v.nom for v in blois.villes.all()] == ["Blois"]
    assert {t.slug for t in blois.themes.all()} >= {"commerce"}
    assert {m["type"] for m in blois.motifs} == {"ville", "regle"}
    romo = ArticlePresse.objects.get(titre__startswith="Romorantin")
    assert [v.nom for v in romo.villes.all()] == ["Romorantin-Lanthenay"]
    foot = ArticlePresse.objects.get(titre__startswith="Football")
    assert foot.statut == ArticlePresse.Statut.HORS_PERIMETRE


def test_atom_feed_is_ingested(feed_server, regles):
    """An Atom feed is read too; a programme keyword tags its programme."""
    source = SourceFactory(url_flux=f"{feed_server}/atom", departements="28")
    report = services.ingest_source(source_id=source.pk)
    assert report.status == "ok"
    dreux = ArticlePresse.objects.get(titre__startswith="Dreux")
    assert [v.nom for v in dreux.villes.all()] == ["Dreux"]
    assert [p.code for p in dreux.programmes.all()] == ["acv"]


def test_unchanged_feed_answers_304_and_is_not_downloaded_again(feed_server, villes):
    """The second collection sends the ETag back; the server answers 304 and nothing changes."""
    source = SourceFactory(url_flux=f"{feed_server}/rss")
    assert services.ingest_source(source_id=source.pk).status == "ok"
    source.refresh_from_db()
    assert source.etag == ETAG
    assert source.last_modified
    count = ArticlePresse.objects.count()
    assert services.ingest_source(source_id=source.pk).status == "unchanged"
    assert FeedHandler.requests[-1][1].get("If-None-Match") == ETAG
    assert FeedHandler.requests[-1][1].get("User-Agent", "").startswith("ReseauACV-Panorama/")
    assert ArticlePresse.objects.count() == count


@pytest.mark.parametrize(
    ("path", "message"),
    [("/malformed", "mal formé"), ("/huge", "trop volumineux"), ("/slow", "Délai dépassé"), ("/absent", "HTTP 404")],
)
def test_bad_feed_is_recorded_on_its_source_and_others_go_on(
    feed_server, villes, path, message, django_capture_on_commit_callbacks
):
    """A malformed, huge, slow or missing feed is an error on its source; the next source is still read."""
    bad = SourceFactory(url_flux=f"{feed_server}{path}")
    good = SourceFactory(url_flux=f"{feed_server}/rss")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert ingest_task.apply().get() == 2
    assert len(callbacks) == 2  # one ingestion task per due source, queued after commit
    bad.refresh_from_db()
    good.refresh_from_db()
    assert message in bad.derniere_erreur
    assert bad.echecs_consecutifs == 1
    assert bad.prochaine_collecte_le > timezone.now()
    assert good.echecs_consecutifs == 0
    assert good.derniere_reussite_le is not None
    assert Parution.objects.filter(source=good).count() == 3
    assert not Parution.objects.filter(source=bad).exists()


def test_failing_source_is_retried_less_often(feed_server, villes):
    """Each new failure doubles the wait before the next try; a success resets it."""
    source = SourceFactory(url_flux=f"{feed_server}/malformed")
    waits = []
    for _ in range(3):
        services.ingest_source(source_id=source.pk, force=True)
        source.refresh_from_db()
        waits.append((source.prochaine_collecte_le - source.derniere_collecte_le).total_seconds() / 60)
    assert waits == [30, 60, 120]
    assert source.pk not in selectors.sources_due()
    Source.objects.filter(pk=source.pk).update(url_flux=f"{feed_server}/rss")
    services.ingest_source(source_id=source.pk, force=True)
    source.refresh_from_db()
    assert (source.echecs_consecutifs, source.derniere_erreur, source.prochaine_collecte_le) == (0, "", None)


def test_private_address_refused_unless_allowed(settings):
    """A feed on a loopback or private address is refused when the settings do not allow it."""
    settings.PANORAMA_ALLOW_PRIVATE_ADDRESSES = False
    for url in ("http://127.0.0.1:9/flux", "http://10.0.0.1/flux", "http://[::1]/flux", "http://169.254.169.254/"):
        with pytest.raises(FetchError, match="refusée"):
            fetch(url)


def test_private_address_recorded_as_error_on_the_source(settings, villes):
    """Ingestion of a source on a private address records the refusal, without a request."""
    settings.PANORAMA_ALLOW_PRIVATE_ADDRESSES = False
    source = SourceFactory(url_flux="http://127.0.0.1:9/flux")
    report = services.ingest_source(source_id=source.pk)
    assert report.status == "error"
    source.refresh_from_db()
    assert "réseau privé" in source.derniere_erreur


def test_redirects_are_bounded(feed_server):
    """A chain of redirects longer than the limit is an error; a short one is followed."""
    with pytest.raises(FetchError, match="Trop de redirections"):
        fetch(f"{feed_server}/redirect/1")
    assert fetch(f"{feed_server}/redirect/9").status == 200


def test_other_schemes_and_local_files_are_refused(settings):
    """Only http(s) is fetched; a path on disk only in demo mode and only in the demo folder."""
    settings.PANORAMA_ALLOW_LOCAL_FILES = False
    with pytest.raises(FetchError):
        fetch("ftp://presse.example/flux")
    with pytest.raises(FetchError, match="démonstration"):
        fetch("/etc/hostname")
    settings.PANORAMA_ALLOW_LOCAL_FILES = True
    with pytest.raises(FetchError, match="démonstration"):
        fetch("/etc/hostname")


def test_demo_feed_read_from_disk_in_demo_mode(settings, villes):
    """In demo mode a feed file of the demo folder is ingested like a remote one."""
    from panorama.demo import FEEDS

    settings.PANORAMA_ALLOW_LOCAL_FILES = True
    source = SourceFactory(url_flux=str(FEEDS / "nr_loir_et_cher.xml"))
    assert services.ingest_source(source_id=source.pk).status == "ok"
    assert ArticlePresse.objects.filter(villes__slug="blois").exists()


def test_sources_imported_from_the_reference_csv(db):
    """The 23 press sources of the reference file are created once, with their départements."""
    assert services.sources_import().created == 23
    assert services.sources_import().updated == 23
    assert Source.objects.count() == 23
    nr = Source.objects.get(nom="La Nouvelle République – édition Indre")
    assert nr.departements_list == ["36"]
    assert Source.objects.filter(url_flux="").count() == 1


def test_settings_schedule_and_safe_defaults(settings):
    """Ingestion is scheduled every 30 minutes; private addresses are refused by default."""
    from reseau_acv.settings import base

    entry = settings.CELERY_BEAT_SCHEDULE["panorama.ingest"]
    assert entry["task"] == "panorama.ingest"
    assert entry["schedule"].minute == {0, 30}
    assert base.PANORAMA_ALLOW_PRIVATE_ADDRESSES is False
    assert base.PANORAMA_FETCH_MAX_REDIRECTS == 3
    assert "ReseauACV-Panorama" in base.PANORAMA_USER_AGENT


def test_a_name_that_changes_to_a_private_address_after_the_check_is_refused(settings, feed_server, monkeypatch):
    """A host name that resolves to a public address when checked, then to a local one when
    connecting (DNS rebinding), never reaches the local server."""
    import socket

    settings.PANORAMA_ALLOW_PRIVATE_ADDRESSES = False
    port = int(feed_server.rsplit(":", 1)[1])
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]])
    local = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: next(answers, local))
    before = len(FeedHandler.requests)
    with pytest.raises(FetchError, match="refusée"):
        fetch(f"http://presse-locale.example:{port}/rss")
    assert len(FeedHandler.requests) == before


def test_a_trickling_server_cannot_hold_a_fetch_past_its_deadline(feed_server):
    """A body sent a byte every 50 ms (30 s in all) is cut at the 0.5 s deadline, well before its end."""
    import time

    started = time.monotonic()
    with pytest.raises(FetchError, match="Délai dépassé"):
        fetch(f"{feed_server}/trickle")
    elapsed = time.monotonic() - started
    print(f"\nflux au compte-gouttes : coupé après {elapsed:.2f} s (délai 0,5 s, le serveur en voulait 30)")
    assert elapsed < 5


def test_a_server_trickling_its_headers_is_cut_at_the_deadline_too(feed_server):
    """Headers sent a byte at a time do not hold the fetch either."""
    import time

    started = time.monotonic()
    with pytest.raises(FetchError, match="Délai dépassé"):
        fetch(f"{feed_server}/trickle-headers")
    assert time.monotonic() - started < 5


def test_the_collection_lock_outlasts_any_fetch(settings):
    """The per-source lock lasts longer than the fetch deadline plus the time to write a feed."""
    from panorama.services.ingestion import lock_seconds

    for timeout in (0.5, 15, 60):
        settings.PANORAMA_FETCH_TIMEOUT = timeout
        assert lock_seconds() >= timeout + 300


def test_a_second_collection_of_a_source_waits_for_the_first(feed_server, villes):
    """While a source's collection holds its lock, another one is skipped, and runs once it is released."""
    from django.core.cache import cache

    source = SourceFactory(url_flux=f"{feed_server}/rss")
    cache.add(f"panorama:ingest:{source.pk}", 1, timeout=60)
    try:
        assert services.ingest_source(source_id=source.pk).status == "skipped"
    finally:
        cache.delete(f"panorama:ingest:{source.pk}")
    assert services.ingest_source(source_id=source.pk).status == "ok"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/html", "une page HTML"),
        ("/html-as-rss", "une page HTML"),
        ("/json", "des données JSON"),
        ("/image", "une image"),
    ],
)
def test_a_response_that_is_not_a_feed_is_an_error_shown_to_staff(feed_server, villes, client, equipe, path, message):
    """An HTML page, JSON or an image given as a feed is an error on the source, on the staff's health page."""
    source = SourceFactory(url_flux=f"{feed_server}{path}", nom="Journal qui n'a pas de flux")
    report = services.ingest_source(source_id=source.pk)
    assert report.status == "error"
    source.refresh_from_db()
    assert source.echecs_consecutifs == 1
    assert message in source.derniere_erreur
    assert "Ce n'est pas un flux RSS ou Atom" in source.derniere_erreur
    client.force_login(equipe)
    page = client.get(reverse("panorama:source-list")).content.decode()
    assert "Ce n&#x27;est pas un flux RSS ou Atom" in page or "Ce n'est pas un flux RSS ou Atom" in page


@pytest.mark.parametrize("path", ["/latin1-header", "/latin1-declaration", "/windows-1252"])
def test_declared_latin_1_and_windows_1252_feeds_are_decoded(feed_server, villes, path):
    """A feed in Latin-1 (read as Windows-1252, as servers send it) or Windows-1252 keeps its accents."""
    source = SourceFactory(url_flux=f"{feed_server}{path}", departements="36")
    assert services.ingest_source(source_id=source.pk).status == "ok"
    assert ArticlePresse.objects.get().titre == "Châteauroux : l’été des commerçants, une œuvre collective"


def test_a_write_failing_in_the_writer_thread_stores_nothing_and_is_recorded(feed_server, regles, monkeypatch):
    """When a later batch fails to be written (by the writer thread), the whole feed is rolled back, the source
    shows the error, and the next collection stores the feed."""
    from panorama.services import bulk, ingestion

    monkeypatch.setattr(ingestion, "BATCH", 1)  # three batches: the writer thread is used
    written = []
    real = bulk._copy_stories

    def failing(cursor, batch):
        if written:
            cursor.execute("SELECT 1 / 0")  # the second batch fails in the database
        written.append(batch)
        real(cursor, batch)

    monkeypatch.setattr(bulk, "_copy_stories", failing)
    source = SourceFactory(url_flux=f"{feed_server}/rss", departements="41")
    report = services.ingest_source(source_id=source.pk, force=True)
    assert report.status == "error"
    assert not ArticlePresse.objects.exists()
    assert not Parution.objects.exists()
    source.refresh_from_db()
    assert "division by zero" in source.derniere_erreur
    monkeypatch.setattr(bulk, "_copy_stories", real)
    assert services.ingest_source(source_id=source.pk, force=True).created == 3
    assert ArticlePresse.objects.count() == 3


def test_python_tuned_for_a_feed_is_restored_after_it_even_when_it_fails(feed_server, villes):
    """Reading a feed pauses Python's cycle collector and shortens the threads' hand-over; both are always
    restored (a failed feed, nested uses), and a collector stopped before stays stopped."""
    import gc
    import sys

    from panorama.services.ingestion import HANDOVER, feed_mode

    switch = sys.getswitchinterval()
    assert gc.isenabled()
    with feed_mode():
        assert not gc.isenabled()
        assert sys.getswitchinterval() == min(HANDOVER, switch)
        with feed_mode():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    assert sys.getswitchinterval() == switch
    source = SourceFactory(url_flux=f"{feed_server}/malformed")
    assert services.ingest_source(source_id=source.pk).status == "error"
    assert gc.isenabled()
    assert sys.getswitchinterval() == switch
    gc.disable()
    try:
        with feed_mode():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
