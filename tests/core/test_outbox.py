import smtplib

import pytest
from django.core import mail

from reseau_acv.core import outbox
from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import RenderedEmail, outbox_record
from tests.helpers import real_broker

EMAIL = RenderedEmail(subject="Rappel : séance de travail", text="Bonjour,\nà demain.\n", html="<p>Bonjour</p>")


@pytest.mark.django_db
def test_recording_the_same_message_twice_sends_it_once(django_capture_on_commit_callbacks):
    """Recording a message twice under the same key sends one e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = outbox_record(purpose="rappel", obj=7, to="lea@exemple.fr", email=EMAIL)
        second, created_second = outbox_record(purpose="rappel", obj=7, to="LEA@exemple.fr", email=EMAIL)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Rappel : séance de travail"
    first.refresh_from_db()
    assert first.statut == Courriel.Statut.ENVOYE


@pytest.mark.django_db
def test_sending_an_already_sent_message_does_nothing(django_capture_on_commit_callbacks):
    """A task run twice for the same message sends it once."""
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = outbox_record(purpose="rappel", obj=1, to="a@exemple.fr", email=EMAIL)
    assert outbox.outbox_send(message_id=message.pk) is False
    assert outbox.outbox_flush() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_email(django_capture_on_commit_callbacks):
    """If the change that causes an e-mail fails, no e-mail is left behind."""
    from django.db import transaction

    def change_that_fails():
        with transaction.atomic():
            outbox_record(purpose="rappel", obj=2, to="b@exemple.fr", email=EMAIL)
            raise RuntimeError("la modification échoue")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not Courriel.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_message_pending_then_it_goes_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    """When the mail server drops the connection, the message stays pending (not counted against it) and a later run sends it once."""
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def broken(self, messages):
        raise smtplib.SMTPServerDisconnected("serveur indisponible")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = outbox_record(purpose="rappel", obj=3, to="c@exemple.fr", email=EMAIL)
    message.refresh_from_db()
    assert message.statut == Courriel.Statut.EN_ATTENTE
    assert message.tentatives == 0  # the server's failure, not the message's: it is never abandoned for it
    assert "indisponible" in message.derniere_erreur
    assert mail.outbox == []

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    Courriel.objects.filter(pk=message.pk).update(prochain_essai=message.cree_le)  # its retry time has come
    assert outbox.outbox_flush() == 1
    assert outbox.outbox_flush() == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.statut == Courriel.Statut.ENVOYE


@pytest.mark.django_db
def test_with_the_broker_down_the_action_succeeds_and_the_email_goes_later(django_capture_on_commit_callbacks):
    """With the broker unreachable, recording succeeds; the periodic flush sends it once."""
    with real_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        message, created = outbox_record(purpose="invitation", obj=4, to="d@exemple.fr", email=EMAIL)
    assert created
    message.refresh_from_db()
    assert message.statut == Courriel.Statut.EN_ATTENTE
    assert mail.outbox == []
    # The broker is back: beat's periodic flush sends what is pending.
    assert outbox.outbox_flush() == 1
    assert outbox.outbox_flush() == 0
    assert [m.to for m in mail.outbox] == [["d@exemple.fr"]]


@pytest.mark.django_db
def test_headers_and_attachments_travel_with_the_message(django_capture_on_commit_callbacks):
    """Headers (e.g. List-Unsubscribe) and attachments (e.g. an .ics) reach the e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        outbox_record(
            purpose="rencontre",
            obj=5,
            to="e@exemple.fr",
            email=EMAIL,
            headers={"List-Unsubscribe": "<https://exemple.fr/desabonnement/x>"},
            attachments=[outbox.Attachment("rencontre.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
    sent = mail.outbox[0]
    assert sent.extra_headers["List-Unsubscribe"] == "<https://exemple.fr/desabonnement/x>"
    assert sent.attachments[0][0] == "rencontre.ics"
    assert sent.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_recording_many_messages_takes_the_same_queries_for_2_and_20(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Recording a batch of messages costs a fixed number of queries; each is sent once."""

    def batch(n: int, start: int) -> list[outbox.Outgoing]:
        return [outbox.Outgoing("resume", "S2026-W47", f"membre{i}@exemple.fr", EMAIL) for i in range(start, start + n)]

    with django_assert_num_queries(5):  # savepoint, existing keys, bulk insert, read back, release
        outbox.outbox_record_many(batch(2, 0), send=False)
    with django_assert_num_queries(5):
        outbox.outbox_record_many(batch(20, 100), send=False)
    with django_capture_on_commit_callbacks(execute=True):
        recorded, new = outbox.outbox_record_many(batch(20, 100) + batch(3, 200))
    assert (len(recorded), new) == (23, 3)
    assert Courriel.objects.count() == 25
    assert outbox.outbox_flush() == 2  # the first two were recorded without sending
    assert len(mail.outbox) == 25
    assert sorted({m.to[0] for m in mail.outbox}) == sorted(
        f"membre{i}@exemple.fr" for i in [0, 1, *range(100, 120), 200, 201, 202]
    )
