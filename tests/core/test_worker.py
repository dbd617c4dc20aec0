import pytest

from reseau_acv.comptes.models import Organisation, Role
from reseau_acv.comptes.services import invitation_create
from reseau_acv.core.models import Courriel
from tests.factories.comptes import EquipeFactory
from tests.helpers import celery_worker, real_broker, wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_invitation_through_the_outbox():
    """A Celery worker process, fed through Redis, sends the invitation e-mail and marks it sent."""
    staff = EquipeFactory()
    organisation = Organisation.objects.create(nom="Région Centre-Val de Loire")
    with celery_worker() as worker, real_broker():
        invitation = invitation_create(
            actor=staff, email="partenaire@region.fr", role=Role.PARTENAIRE, organisation=organisation
        )
        message = Courriel.objects.get(cle=f"invitation:{invitation.pk}:partenaire@region.fr")

        def sent():
            message.refresh_from_db()
            return message.statut == Courriel.Statut.ENVOYE

        assert wait_until(sent, timeout=60), worker.stdout and "worker did not send the message"
    assert message.envoye_le is not None
    assert message.tentatives == 1
