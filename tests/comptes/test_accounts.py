from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reseau_acv.comptes.models import User
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory


@pytest.mark.django_db
def test_sign_in_with_email_lands_on_the_dashboard(client):
    """A member signs in with their e-mail address and arrives on their dashboard, in French."""
    ChefDeProjetFactory(email="lea@blois.fr")
    response = client.post("/compte/login/", {"login": "lea@blois.fr", "password": "mot-de-passe-test"}, follow=True)
    assert response.redirect_chain[-1][0] == "/tableau-de-bord/"
    assert "Bonjour" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_says_so_in_french(client):
    """A wrong password is refused with a French message."""
    ChefDeProjetFactory(email="lea@blois.fr")
    response = client.post("/compte/login/", {"login": "lea@blois.fr", "password": "faux"})
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


@pytest.mark.django_db
def test_login_attempts_are_rate_limited(client):
    """After five failures on one account, even the right password is refused for a while."""
    ChefDeProjetFactory(email="lea@blois.fr")
    for _ in range(5):
        client.post("/compte/login/", {"login": "lea@blois.fr", "password": "faux"})
    response = client.post("/compte/login/", {"login": "lea@blois.fr", "password": "mot-de-passe-test"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def _image(fmt="PNG", size=(900, 600)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (30, 60, 110)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _profile(user, **extra):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation_id,
        "fonction": user.fonction,
        "telephone": "02 54 00 00 00",
        "consentement_annuaire": "on",
        **extra,
    }


@pytest.mark.django_db
def test_photo_is_cropped_resized_and_reencoded(client):
    """An uploaded photo becomes a 400×400 JPEG."""
    user = ChefDeProjetFactory()
    client.force_login(user)
    response = client.post("/comptes/profil/", _profile(user, photo_upload=_image()))
    assert response.status_code == 302
    user.refresh_from_db()
    with Image.open(user.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (400, 400))
    assert user.telephone == "02 54 00 00 00"


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(client):
    """A file named .png that is not an image is refused with a message and not stored."""
    user = ChefDeProjetFactory()
    client.force_login(user)
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post("/comptes/profil/", _profile(user, photo_upload=fake))
    assert response.status_code == 200
    assert "image" in response.content.decode()
    user.refresh_from_db()
    assert not user.photo


@pytest.mark.django_db
def test_photos_are_served_to_signed_in_members_only(client):
    """A member's photo is not reachable anonymously, and only for directory members."""
    member = ChefDeProjetFactory()
    client.force_login(member)
    client.post("/comptes/profil/", _profile(member, photo_upload=_image()))
    url = f"/comptes/membres/{member.pk}/photo/"
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(PartenaireFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    User.objects.filter(pk=member.pk).update(consentement_annuaire=False)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_profile_shows_the_organisation_without_a_list_of_every_organisation(client):
    """The profile names my organisation (set by my invitation) and offers no <select> of all organisations; posting one changes nothing."""
    from reseau_acv.comptes.models import Organisation

    member = ChefDeProjetFactory(organisation=Organisation.objects.create(nom="Ville de Gien"))
    elsewhere = Organisation.objects.create(nom="Préfecture de région")
    client.force_login(member)
    page = client.get("/comptes/profil/").content.decode()
    assert "Votre organisation\u00a0: Ville de Gien." in page
    assert 'name="organisation"' not in page
    assert "Préfecture de région" not in page
    client.post("/comptes/profil/", {**_profile(member), "organisation": elsewhere.pk})
    member.refresh_from_db()
    assert member.organisation.nom == "Ville de Gien"
