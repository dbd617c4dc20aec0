"""Meetings and notifications: a change or a cancellation tells the registered and the followers."""

from datetime import timedelta

import pytest

from rencontres import services
from reseau_acv.core.models import ChoixNotification, Courriel, Notification
from reseau_acv.core.notifications import follow_automatically
from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory

pytestmark = pytest.mark.django_db


def test_a_change_tells_the_registered_with_the_calendar_file_and_the_followers():
    """Registered: « rencontre » and the change e-mail with its .ics; a follower: « suivi » (digest);
    a registered partner who may no longer see it and the staff member who changed it: nothing."""
    rencontre = RencontreFactory(visibilite=Visibilite.RESEAU)
    staff = EquipeFactory()
    registered = InscriptionFactory(rencontre=rencontre).membre
    partenaire = InscriptionFactory(rencontre=rencontre, membre=PartenaireFactory()).membre
    InscriptionFactory(rencontre=rencontre, membre=staff)
    follower = ChefDeProjetFactory()
    follow_automatically(users=[follower], target=rencontre)
    services.rencontre_update(
        actor=staff,
        rencontre=rencontre,
        data={"debut": rencontre.debut + timedelta(days=1), "fin": rencontre.fin + timedelta(days=1)},
    )
    told = dict(Notification.objects.values_list("destinataire_id", "type"))
    assert told == {registered.pk: "rencontre", follower.pk: "suivi"}
    assert partenaire.pk not in told
    [message] = Courriel.objects.filter(objet_envoi="rencontre_modification")
    assert message.destinataire == registered.email
    assert message.pieces_jointes[0]["filename"] == "rencontre.ics"


def test_a_registered_member_who_chose_never_gets_no_change_email():
    """The member's choice for « rencontre » applies to the meeting's own message too."""
    rencontre = RencontreFactory()
    registered = InscriptionFactory(rencontre=rencontre).membre
    ChoixNotification.objects.create(membre=registered, type="rencontre", envoi="jamais")
    services.rencontre_cancel(actor=EquipeFactory(), rencontre=rencontre)
    assert Notification.objects.get().texte == "La rencontre est annulée"
    assert not Courriel.objects.filter(objet_envoi="rencontre_annulation").exists()
