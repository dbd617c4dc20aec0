from datetime import timedelta

import pytest
from django.utils import timezone

from rencontres.models import Rencontre
from rencontres.tasks import send_reminder_task, send_reminders_task
from reseau_acv.core.models import Courriel
from tests.factories.rencontres import InscriptionFactory, RencontreFactory
from tests.helpers import celery_worker, real_broker, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_each_reminder_once_even_when_the_task_is_queued_three_times():
    """Through Redis and a real worker, the D-1 reminder queued three times reaches each registrant once."""
    debut = timezone.now().replace(microsecond=0) + timedelta(hours=20)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    emails = {InscriptionFactory(rencontre=rencontre).membre.email for _ in range(5)}
    with real_broker() as app:
        app.control.purge()
        # Queued before the worker starts: the worker takes them in order, and the sends that the
        # first run queues on commit come after the two duplicates.
        send_reminders_task.apply_async()
        send_reminders_task.apply_async()
        send_reminder_task.apply_async(kwargs={"rencontre_id": rencontre.pk, "kind": "j1"})
        with celery_worker() as worker:
            reminders = Courriel.objects.filter(objet_envoi="rencontre_rappel_j1")

            def all_sent():
                return reminders.filter(statut=Courriel.Statut.ENVOYE).count() == len(emails)

            assert wait_until(all_sent, timeout=90), worker.stdout and "the worker did not send the reminders"
    assert set(reminders.values_list("destinataire", flat=True)) == emails
    assert reminders.count() == len(emails)
    assert set(reminders.values_list("tentatives", flat=True)) == {1}
    assert Rencontre.objects.get(pk=rencontre.pk).rappel_j1_le is not None
