"""Each member gets exactly one digest per period: reruns, overlapping runs, crashes, a broker
that is down, and a real Celery worker."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reseau_acv.accueil import services
from reseau_acv.accueil.digest import period_for
from reseau_acv.accueil.models import EnvoiDigest, Frequence
from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import outbox_flush
from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.helpers import celery_worker, real_broker, wait_until

from .conftest import NOW, make_ressource

# Per run of one batch (two visibility levels present): savepoint, lock, re-check, preferences,
# the towns and themes followed, the notifications waiting for the digest, missions, last digests, one fetch per section and level (5 sections x 2 levels,
# plus the prefetch of themes for the ones with items), the outbox's batch (savepoint, known
# keys, bulk insert, read back, release), bulk insert, release, and the final empty lock.
FIXED_QUERIES_PER_RUN = 32


def _digests_per_member() -> dict[str, int]:
    counts: dict[str, int] = {}
    for email in Courriel.objects.filter(objet_envoi=services.DIGEST_PURPOSE).values_list("destinataire", flat=True):
        counts[email] = counts.get(email, 0) + 1
    return counts


def _members(n: int, **ressource):
    make_ressource("Guide ouvert à tous les membres", visibilite=Visibilite.PARTENAIRES, **ressource)
    return [ChefDeProjetFactory() if i % 2 else PartenaireFactory() for i in range(n)]


@pytest.mark.django_db
def test_running_the_job_twice_sends_one_digest_each():
    """A second run in the same period sends nothing more."""
    members = _members(5)

    first = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2)
    second = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2)

    assert (first.sent, first.batches, second.sent) == (5, 3, 0)
    assert _digests_per_member() == {m.email: 1 for m in members}


@pytest.mark.django_db
def test_a_run_out_of_time_hands_over_and_the_next_finishes():
    """A run that reaches its time budget stops between batches; the next one sends the rest."""
    members = _members(5)

    first = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2, max_seconds=0)
    assert (first.sent, first.more) == (2, True)
    rest = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2)
    assert (rest.sent, rest.more) == (3, False)
    assert _digests_per_member() == {m.email: 1 for m in members}


@pytest.mark.django_db
def test_a_run_killed_halfway_is_finished_by_the_next_one_none_twice(monkeypatch):
    """A worker that dies in the middle of a batch leaves that batch unsent; the next run sends
    it, and the batches done before are not sent again."""
    members = _members(5)
    real_link = services.unsubscribe_url  # written into each member's digest
    calls = {"n": 0}

    def dying_link(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # second batch, second member
            raise SystemExit("le worker meurt")
        return real_link(*args, **kwargs)

    monkeypatch.setattr(services, "unsubscribe_url", dying_link)
    with pytest.raises(SystemExit):
        services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2)
    assert EnvoiDigest.objects.count() == 2
    assert len(_digests_per_member()) == 2

    monkeypatch.setattr(services, "unsubscribe_url", real_link)
    rerun = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=2)

    assert rerun.sent == 3
    assert _digests_per_member() == {m.email: 1 for m in members}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest_each():
    """Two workers running the same digest at the same moment share the members out."""
    members = _members(12)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW, batch_size=3))
        except Exception as error:  # noqa: BLE001 (reported to the test below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.sent for r in results) == 12
    assert _digests_per_member() == {m.email: 1 for m in members}
    assert EnvoiDigest.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_digests_wait_in_the_outbox_then_leave_once():
    """Broker unreachable: the run records its messages; once the broker is back, the periodic
    flush sends each of them, and none twice."""
    members = _members(2)

    with real_broker("redis://127.0.0.1:1/0"):  # nothing listens there
        result = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    assert result.sent == 2
    assert mail.outbox == []
    assert Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE).count() == 2

    # The broker is back: beat's periodic flush (core.outbox_flush) sends what waits.
    assert outbox_flush() == 2
    assert outbox_flush() == 0
    assert services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW).sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)


@pytest.mark.django_db
def test_digest_queries_do_not_grow_with_members():
    """Building and recording the digests of a batch of members takes the same number of
    queries for 5 and for 10 members."""
    make_ressource("Guide ouvert à tous les membres", visibilite=Visibilite.PARTENAIRES)
    make_ressource("Note du réseau", visibilite=Visibilite.RESEAU)
    counts = {}
    for n in (5, 10):
        EnvoiDigest.objects.all().delete()
        Courriel.objects.all().delete()
        [ChefDeProjetFactory() if i % 2 else PartenaireFactory() for i in range(5)]
        with CaptureQueriesContext(connection) as queries:
            result = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)
        assert result.sent == n
        counts[n] = len(queries)

    assert counts[5] == counts[10] == FIXED_QUERIES_PER_RUN


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_digest_through_a_real_celery_worker_and_redis_is_sent_once():
    """Through Redis and a real worker, the digest task run twice sends one digest per member."""
    from reseau_acv.accueil.tasks import digest_send_task

    period = period_for(Frequence.HEBDOMADAIRE, timezone.now())
    members = _members(4, publie_le=period.start + timedelta(days=1))
    with celery_worker(), real_broker():
        digest_send_task.apply_async(kwargs={"frequence": Frequence.HEBDOMADAIRE})
        digest_send_task.apply_async(kwargs={"frequence": Frequence.HEBDOMADAIRE})
        sent = wait_until(
            lambda: (
                Courriel.objects.filter(objet_envoi=services.DIGEST_PURPOSE, statut=Courriel.Statut.ENVOYE).count() == 4
            ),
            timeout=60,
        )
        assert sent
    assert _digests_per_member() == {m.email: 1 for m in members}
    assert EnvoiDigest.objects.count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_bench_digest_sends_through_a_real_worker_and_leaves_nothing_behind():
    """bench_digest records and sends its members' digests through a real worker and SMTP server,
    says how long it took, and deletes everything it added."""
    from io import StringIO

    from django.core.management import call_command

    from reseau_acv.comptes.models import User
    from tests.factories.villes import VilleFactory

    VilleFactory()
    out = StringIO()
    call_command("bench_digest", "--membres", "40", "--delai", "60", stdout=out)
    text = out.getvalue()
    assert "40 résumés enregistrés" in text
    assert "40 courriels envoyés au serveur SMTP" in text
    assert not User.objects.filter(email__endswith="@bench-digest.invalid").exists()
    assert EnvoiDigest.objects.count() == 0
    assert Courriel.objects.count() == 0
