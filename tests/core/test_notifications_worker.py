"""Notifications' e-mails through a real Celery worker fed by Redis: each sent exactly once."""

import pytest

from reseau_acv.core.models import Courriel, Notification
from reseau_acv.core.outbox import enqueue_send_many
from ressources import services
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory
from tests.helpers import celery_worker, real_broker, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_answer_reaches_the_asker_once_through_a_real_worker_even_when_told_and_queued_twice():
    """An answer tells the asker and a mentioned member at once; recording the event again and
    queueing its sending twice still sends each e-mail once."""
    asker = ChefDeProjetFactory(email="asker@exemple.fr")
    mentioned = ChefDeProjetFactory(email="mentioned@exemple.fr", first_name="Hélène", last_name="Martin")
    question = services.question_create(actor=asker, data={"titre": "Qui a ouvert une boutique à l'essai ?"})
    with real_broker() as app:
        app.control.purge()
        message = services.message_create(
            actor=EquipeFactory(), fil=question, corps="Vierzon l'a fait ; @Hélène Martin connaît le dossier."
        )
        # The same event recorded again (a retried request): nothing new.
        services._tell_thread(actor=message.auteur, fil=question, message=message, mentioned=[mentioned])
        sent = Courriel.objects.filter(objet_envoi="notification")
        enqueue_send_many(list(sent.values_list("pk", flat=True)))  # a duplicate task
        with celery_worker() as worker:

            def all_sent():
                return sent.filter(statut=Courriel.Statut.ENVOYE).count() == 2

            assert wait_until(all_sent, timeout=90), worker.stdout and "the worker did not send the notifications"
    assert sorted(sent.values_list("destinataire", flat=True)) == ["asker@exemple.fr", "mentioned@exemple.fr"]
    assert set(sent.values_list("tentatives", flat=True)) == {1}
    assert dict(Notification.objects.values_list("destinataire__email", "type")) == {
        "asker@exemple.fr": "reponse",
        "mentioned@exemple.fr": "mention",
    }
