import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reseau_acv.comptes.models import Invitation, Organisation, Role, User
from reseau_acv.core.models import Courriel
from tests.factories.comptes import EquipeFactory
from tests.factories.villes import VilleFactory

LINK_RE = re.compile(r"http://testserver(/comptes/invitation/[^/\s]+/)")


def _invite(client, django_capture_on_commit_callbacks, **data):
    staff = EquipeFactory()
    client.force_login(staff)
    organisation = Organisation.objects.create(nom="Ville de Gien")
    ville = VilleFactory(nom="Gien")
    payload = {
        "email": "nouvelle.cheffe@gien.fr",
        "role": Role.CHEF_DE_PROJET,
        "organisation": organisation.nom,
        "fonction": "Cheffe de projet ACV",
        "message": "Bienvenue dans le réseau !",
        "villes": ville.nom,
        "intitule": "chef_acv",
        **data,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/annuaire/inviter/", payload)
    client.logout()
    return response, ville


def _link(message) -> str:
    return LINK_RE.search(message.body).group(1)


@pytest.mark.django_db
def test_invitation_end_to_end(client, django_capture_on_commit_callbacks):
    """Staff invite a lead; the e-mail's link lets them set a password and arrive signed in with their role and town."""
    response, ville = _invite(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.cheffe@gien.fr"]
    assert "Invitation au réseau régional" in message.subject
    assert "Bienvenue dans le réseau !" in message.body
    assert Courriel.objects.get(destinataire="nouvelle.cheffe@gien.fr").statut == Courriel.Statut.ENVOYE
    link = _link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "nouvelle.cheffe@gien.fr" in page.content.decode()

    response = client.post(
        link,
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "password1": "Loire-et-Sologne-2026",
            "password2": "Loire-et-Sologne-2026",
        },
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(email="nouvelle.cheffe@gien.fr")
    assert response.context["user"] == user
    assert user.role == Role.CHEF_DE_PROJET
    assert user.organisation.nom == "Ville de Gien"
    assert list(user.missions.values_list("ville", flat=True)) == [ville.pk]
    assert user.emailaddress_set.get().verified
    assert "Gien" in client.get("/tableau-de-bord/").content.decode()

    # The password works for the next sign-in.
    client.logout()
    assert client.login(email="nouvelle.cheffe@gien.fr", password="Loire-et-Sologne-2026")


@pytest.mark.django_db
def test_a_used_link_is_refused_clearly(client, django_capture_on_commit_callbacks):
    """A link that has already served says so and creates nothing."""
    _invite(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    data = {
        "first_name": "A",
        "last_name": "B",
        "password1": "Loire-et-Sologne-2026",
        "password2": "Loire-et-Sologne-2026",
    }
    client.post(link, data)
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "déjà servi" in response.content.decode()
    assert client.post(link, data).status_code == 410
    assert User.objects.filter(email="nouvelle.cheffe@gien.fr").count() == 1


@pytest.mark.django_db
def test_an_expired_link_is_refused_clearly(client, django_capture_on_commit_callbacks):
    """A link past its date says it has expired and creates no account."""
    _invite(client, django_capture_on_commit_callbacks)
    Invitation.objects.update(expire_le=timezone.now() - timedelta(minutes=1))
    link = _link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    client.post(
        link,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "Loire-et-Sologne-2026",
            "password2": "Loire-et-Sologne-2026",
        },
    )
    assert not User.objects.filter(email="nouvelle.cheffe@gien.fr").exists()


@pytest.mark.django_db
def test_a_lead_must_be_invited_with_a_town(client, django_capture_on_commit_callbacks):
    """Inviting a lead without a town is refused with a message; no e-mail leaves."""
    response, _ = _invite(client, django_capture_on_commit_callbacks, villes="")
    assert response.status_code == 200
    assert "au moins une ville" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_existing_member_cannot_be_invited_again(client, django_capture_on_commit_callbacks):
    """Inviting an address that already has an account says so."""
    EquipeFactory(email="deja@reseau-acv.test")
    response, _ = _invite(client, django_capture_on_commit_callbacks, email="deja@reseau-acv.test", role="partenaire")
    assert "existe déjà" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_french(client, django_capture_on_commit_callbacks):
    """The password rules are explained in French."""
    _invite(client, django_capture_on_commit_callbacks)
    response = client.post(
        _link(mail.outbox[0]), {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    assert not User.objects.filter(email="nouvelle.cheffe@gien.fr").exists()
