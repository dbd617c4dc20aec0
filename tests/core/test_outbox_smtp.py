"""The outbox against a real local SMTP server (aiosmtpd): Message-ID, outages, backlog, alerts."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reseau_acv.core import outbox
from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import Outgoing, RenderedEmail, outbox_record
from tests.helpers import _free_port, smtp_sink

pytestmark = pytest.mark.django_db

EMAIL = RenderedEmail(subject="Séance de travail", text="Bonjour,\nà jeudi.\n", html="<p>Bonjour</p>")


def _record(n: int, *, purpose: str = "rappel") -> list[int]:
    recorded, _new = outbox.outbox_record_many(
        [Outgoing(purpose, "S48", f"membre{i}@exemple.fr", EMAIL) for i in range(n)], send=False
    )
    return [row.pk for row in recorded.values()]


def test_every_message_carries_a_message_id_derived_from_its_key(settings):
    """The Message-ID is stable for a key and differs between keys; its domain is the sender's."""
    settings.DEFAULT_FROM_EMAIL = "Réseau ACV <reseau@villesaucarre.example>"
    first = outbox.outbox_message_id("rappel:7:lea@exemple.fr")
    assert first == outbox.outbox_message_id("rappel:7:lea@exemple.fr")
    assert first != outbox.outbox_message_id("rappel:8:lea@exemple.fr")
    assert first.startswith("<")
    assert first.endswith("@villesaucarre.example>")


def test_a_copy_resent_after_a_dropped_connection_has_the_same_message_id(settings):
    """The server stores the message then drops the connection: the copy sent again shares its Message-ID."""
    with smtp_sink(settings) as sink:
        [pk] = _record(1)
        sink.drop_after_data = 1
        assert outbox.outbox_send(message_id=pk) is False
        message = Courriel.objects.get(pk=pk)
        assert message.statut == Courriel.Statut.EN_ATTENTE
        assert message.tentatives == 0  # the server's fault, not the message's
        assert message.prochain_essai <= timezone.now() + timedelta(seconds=30)
        Courriel.objects.filter(pk=pk).update(prochain_essai=timezone.now())
        assert outbox.outbox_flush() == 1
    assert len(sink.messages) == 2
    ids = {copy["Message-ID"] for copy in sink.messages}
    assert ids == {outbox.outbox_message_id(message.cle)}


def test_one_batch_sends_over_one_connection(settings):
    """A batch of messages goes out over a single SMTP session, each message once."""
    with smtp_sink(settings) as sink:
        ids = _record(30)
        result = outbox.outbox_send_batch(ids)
    assert (result.sent, result.attempted) == (30, 30)
    assert sorted(copy["To"] for copy in sink.messages) == sorted(f"membre{i}@exemple.fr" for i in range(30))
    assert not Courriel.objects.exclude(statut=Courriel.Statut.ENVOYE).exists()


@pytest.mark.django_db(transaction=True)
def test_after_an_outage_the_next_flush_drains_the_whole_backlog(settings):
    """With the server down nothing is lost or counted; once it is back one flush sends all 1,300 messages.

    Committed rows, as in production: the flush sends over OUTBOX_SEND_THREADS connections at once.
    """
    settings.OUTBOX_SEND_THREADS = 4
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    _record(1300)
    assert outbox.outbox_flush() == 0  # nobody listens: the first message is retried soon, the rest wait
    failed = list(Courriel.objects.exclude(derniere_erreur=""))
    assert 1 <= len(failed) <= settings.OUTBOX_SEND_THREADS  # each connection stopped at its first refusal
    for message in failed:
        assert message.tentatives == 0
        assert message.prochain_essai - timezone.now() <= timedelta(seconds=settings.OUTBOX_SERVER_RETRY_SECONDS)
    assert settings.OUTBOX_SERVER_RETRY_SECONDS <= 30
    assert settings.CELERY_BEAT_SCHEDULE["core.outbox_flush"]["schedule"] <= 30
    Courriel.objects.update(prochain_essai=timezone.now())  # the retry time has come
    with smtp_sink(settings, port=port) as sink:
        assert outbox.outbox_flush(budget_seconds=600) == 1300  # one flush, however loaded the machine
    assert len(sink.messages) == 1300
    assert len({copy["Message-ID"] for copy in sink.messages}) == 1300  # each message exactly once
    assert Courriel.objects.filter(statut=Courriel.Statut.ENVOYE).count() == 1300


def test_a_second_flush_while_one_drains_returns_at_once(settings):
    """Only one flush drains at a time: the other finds the lock and sends nothing."""
    from django.core.cache import cache

    _record(3)
    cache.add(outbox.FLUSH_LOCK, "autre", timeout=60)
    assert outbox.outbox_flush() == 0
    cache.delete(outbox.FLUSH_LOCK)
    assert outbox.outbox_flush() == 3


def test_a_refused_recipient_counts_and_is_abandoned_then_the_team_is_told_once(settings):
    """A message the server refuses is retried with back-off, abandoned after the limit, reported once to the team."""
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.EQUIPE_EMAIL = "equipe@villesaucarre.example"
    with smtp_sink(settings) as sink:

        async def refuse(server, session, envelope, address, rcpt_options):
            if address.startswith("inconnu"):
                return "550 boîte inconnue"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        sink.handle_RCPT = refuse
        [pk] = [
            row.pk
            for row in outbox.outbox_record_many([Outgoing("rappel", 1, "inconnu@exemple.fr", EMAIL)], send=False)[
                0
            ].values()
        ]
        for _attempt in range(2):
            Courriel.objects.filter(pk=pk).update(prochain_essai=timezone.now())
            outbox.outbox_flush()
        message = Courriel.objects.get(pk=pk)
        assert (message.statut, message.tentatives) == (Courriel.Statut.ECHEC, 2)
        assert "550" in message.derniere_erreur
        outbox.outbox_flush()
        outbox.outbox_flush()
    alerts = [copy for copy in sink.messages if copy["To"] == "equipe@villesaucarre.example"]
    assert len(alerts) == 1
    assert "1 courriel abandonné" in str(make_header(decode_header(alerts[0]["Subject"])))


def test_staff_see_the_outbox_and_put_abandoned_messages_back_in_line(
    client, equipe, django_capture_on_commit_callbacks
):
    """The team's page shows pending and abandoned counts; « Remettre en file » sends the message."""
    message, _ = outbox_record(purpose="rappel", obj=9, to="lea@exemple.fr", email=EMAIL, send=False)
    Courriel.objects.filter(pk=message.pk).update(statut=Courriel.Statut.ECHEC, tentatives=8, derniere_erreur="550")
    outbox_record(purpose="rappel", obj=10, to="paul@exemple.fr", email=EMAIL, send=False)
    client.force_login(equipe)
    page = client.get(reverse("core:outbox-health")).content.decode()
    assert "lea@exemple.fr" in page
    assert "Abandonnés" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:outbox-retry"), {"message": message.pk}, follow=True)
    assert "1 courriel est remis en file" in response.content.decode()
    message.refresh_from_db()
    assert message.statut == Courriel.Statut.ENVOYE
    assert ["lea@exemple.fr"] in [m.to for m in mail.outbox]


@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_the_outbox_page_is_for_staff_only(client_for, role):
    """Members get a 404 and anonymous visitors the sign-in page; nobody else retries messages."""
    client = client_for(role)
    response = client.get(reverse("core:outbox-health"))
    assert response.status_code == (302 if role == "anonyme" else 404)
    assert client.post(reverse("core:outbox-retry")).status_code == (302 if role == "anonyme" else 404)


def test_the_outbox_page_runs_a_constant_number_of_queries(client, equipe, django_assert_max_num_queries):
    """The page's query count does not grow with the number of abandoned messages."""
    client.force_login(equipe)
    counts = []
    for n in (1, 30):
        Courriel.objects.all().delete()
        ids = _record(n)
        Courriel.objects.filter(pk__in=ids).update(statut=Courriel.Statut.ECHEC)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("core:outbox-health")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
