import pytest
from django.core import mail

from reseau_acv.core.models import Courriel
from tests.factories.comptes import ChefDeProjetFactory


@pytest.mark.django_db
def test_password_reset_mail_is_french_and_leaves_through_the_outbox(client, django_capture_on_commit_callbacks):
    """A forgotten password sends a French e-mail through the outbox, whose link lets the member choose a new one."""
    ChefDeProjetFactory(email="lea@blois.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/password/reset/", {"email": "lea@blois.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("[Réseau ACV]")
    assert "mot de passe" in message.body.lower()
    record = Courriel.objects.get(destinataire="lea@blois.fr")
    assert record.statut == Courriel.Statut.ENVOYE
    assert record.objet_envoi == "compte:password_reset_key"

    link = next(word for word in message.body.split() if "/compte/password/reset/key/" in word)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert response.status_code == 200
    assert "password1" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client, django_capture_on_commit_callbacks):
    """Asking a reset for an unknown address answers the same page and sends no account e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/password/reset/", {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert not Courriel.objects.filter(objet_envoi="compte:password_reset_key").exists()


@pytest.mark.django_db
def test_themes_are_seeded_with_the_five_acv_axes():
    """The theme taxonomy holds ACV's five axes, in order, and the transversal themes."""
    from reseau_acv.core.models import Theme

    axes = list(Theme.objects.filter(famille="axe").values_list("numero_axe", "nom_court"))
    assert axes == [(1, "Habitat"), (2, "Commerce"), (3, "Mobilité"), (4, "Espace public"), (5, "Équipements")]
    assert Theme.objects.filter(famille="transversal", slug="financement").exists()


@pytest.mark.django_db
def test_a_new_address_is_confirmed_by_a_link_sent_through_the_outbox(client, django_capture_on_commit_callbacks):
    """A member adds an address; the French confirmation e-mail's link verifies it."""
    from allauth.account.models import EmailAddress

    member = ChefDeProjetFactory(email="lea@blois.fr")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/email/", {"email": "lea.moreau@agglopolys.fr", "action_add": ""})
    assert response.status_code == 302
    assert Courriel.objects.get(destinataire="lea.moreau@agglopolys.fr").objet_envoi == "compte:email_confirmation"
    message = mail.outbox[-1]
    assert message.subject.startswith("[Réseau ACV]")
    link = next(word for word in message.body.split() if "/compte/confirm-email/" in word)
    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 200
    client.post(path)
    assert EmailAddress.objects.get(email="lea.moreau@agglopolys.fr").verified
