"""A real Celery worker, fed through Redis, runs the periodic ingestion and the edition e-mails."""

import pytest

from panorama.models import AbonnementEdition, ArticlePresse, Edition
from panorama.tasks import edition_send_task, ingest_task
from reseau_acv.core.models import Courriel
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.panorama import ArticleFactory, EditionFactory, SourceFactory
from tests.helpers import celery_worker, real_broker, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_ingests_feeds_and_sends_each_edition_once(feed_server, villes, monkeypatch):
    """The worker collects every due source (a broken one aside) and, asked twice, e-mails an edition once per person."""
    monkeypatch.setenv("PANORAMA_ALLOW_PRIVATE_ADDRESSES", "true")  # the worker serves from this test's local server
    good = SourceFactory(url_flux=f"{feed_server}/rss")
    bad = SourceFactory(url_flux=f"{feed_server}/malformed")
    readers = [PartenaireFactory(), ChefDeProjetFactory()]
    for reader in readers:
        AbonnementEdition.objects.create(membre=reader, actif=True)
    edition = EditionFactory(statut=Edition.Statut.PUBLIEE)
    edition.articles.add(ArticleFactory(titre="Blois : la halle rouverte"))

    with celery_worker() as worker, real_broker():
        ingest_task.delay()
        edition_send_task.delay(edition_id=edition.pk)
        edition_send_task.delay(edition_id=edition.pk)

        def done():
            good.refresh_from_db()
            bad.refresh_from_db()
            sent = Courriel.objects.filter(objet_envoi="panorama.edition", statut=Courriel.Statut.ENVOYE).count()
            return good.derniere_reussite_le is not None and bad.echecs_consecutifs == 1 and sent == 2

        assert wait_until(done, timeout=90), worker.stdout and "the worker did not finish"
    assert ArticlePresse.objects.filter(parutions__source=good).count() == 3
    assert "mal formé" in bad.derniere_erreur
    assert sorted(
        Courriel.objects.filter(objet_envoi="panorama.edition").values_list("destinataire", flat=True)
    ) == sorted(r.email for r in readers)
