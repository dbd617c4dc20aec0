"""Members' data rights: export (ZIP) and deletion, by the member and by staff on request, per role."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from rencontres import services as rencontres_services
from rencontres.models import FluxCalendrier, Inscription
from reseau_acv.accueil.models import JournalDonnees
from reseau_acv.comptes.models import Invitation, Organisation, Role, User
from reseau_acv.core.models import Courriel
from reseau_acv.core.outbox import RenderedEmail, outbox_record, outbox_retention_purge
from reseau_acv.core.visibility import Visibilite
from ressources import services as ressources_services
from ressources.models import Ressource, Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory
from tests.ressources.conftest import PDF

pytestmark = pytest.mark.django_db

MEMBER_ROLES = {"partenaire": PartenaireFactory, "chef_de_projet": ChefDeProjetFactory, "equipe": EquipeFactory}
EMAIL = RenderedEmail(subject="Rappel", text="Bonjour\n", html="")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _member_with_data(role: str) -> tuple[User, dict]:
    """A member with a profile photo, a published resource with its file, a draft, a message, a registration."""
    member = MEMBER_ROLES[role](email=f"{role}@exemple.fr", first_name="Camille", last_name="Durand")
    member.photo.save("camille.jpg", SimpleUploadedFile("c.jpg", b"photo de Camille"))
    published = RessourceFactory(auteur=member, titre="Guide publié de Camille", visibilite=Visibilite.PARTENAIRES)
    draft = RessourceFactory(auteur=member, titre="Brouillon de Camille", statut=Statut.BROUILLON, publie_le=None)
    question = QuestionFactory(visibilite=Visibilite.PARTENAIRES)
    message = MessageFactory(question=question, auteur=member, corps="Ma réponse au réseau")
    rencontre = RencontreFactory(visibilite=Visibilite.PARTENAIRES, capacite=1)
    InscriptionFactory(rencontre=rencontre, membre=member)
    waiting = InscriptionFactory(
        rencontre=rencontre,
        statut=Inscription.Statut.ATTENTE,
        attente_depuis=timezone.now(),
        membre=ChefDeProjetFactory(),
    )
    rencontres_services.flux_renew(actor=member)
    outbox_record(purpose="rappel", obj=1, to=member.email, email=EMAIL, send=False)
    Invitation.objects.create(
        email=member.email,
        role=Role.PARTENAIRE,
        organisation=Organisation.objects.create(nom=f"Organisation {role}"),
        token_hash=f"{role:x<64}"[:64],
        expire_le=timezone.now() + timedelta(days=3),
    )
    return member, {"published": published, "draft": draft, "message": message, "waiting": waiting}


def _zip(response) -> zipfile.ZipFile:
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.mark.parametrize("role", list(MEMBER_ROLES))
def test_a_member_downloads_their_data_as_a_zip(client, role):
    """/mon-compte/donnees/ gives a ZIP: profile, contributions, messages, registrations, e-mails, photo."""
    member, data = _member_with_data(role)
    ressources_services.ressource_update(
        actor=member,
        ressource=data["published"],
        data={},
        fichier=SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf"),
        submit=False,
    ) if role != "partenaire" else None
    client.force_login(member)
    archive = _zip(client.get("/mon-compte/donnees/"))
    content = json.loads(archive.read("donnees.json"))
    assert content["profil"]["adresse_email"] == member.email
    assert content["profil"]["nom"] == "Durand"
    dumped = json.dumps(content, ensure_ascii=False)
    for expected in ("Guide publié de Camille", "Brouillon de Camille", "Ma réponse au réseau", "Rappel"):
        assert expected in dumped
    assert content["rencontres_inscription__membre"]["lignes"][0]["statut"] == "inscrit"
    assert "token" not in dumped.lower()
    assert archive.read(f"fichiers/{member.photo.name}") == b"photo de Camille"
    if role != "partenaire":
        assert PDF in [archive.read(name) for name in archive.namelist() if name.endswith(".pdf")]


def test_anonymous_visitors_are_sent_to_sign_in_for_data_and_deletion():
    """Neither page exists for anonymous visitors: both ask to sign in."""
    for path in ("/mon-compte/donnees/", "/mon-compte/supprimer/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "/compte/login/" in response["Location"]


@pytest.mark.parametrize("role", list(MEMBER_ROLES))
def test_a_member_deletes_their_account_after_confirming_their_password(
    client, role, django_capture_on_commit_callbacks
):
    """Deletion erases the account and personal data; published work stays as « Ancien membre »."""
    member, data = _member_with_data(role)
    other_session = Client()
    other_session.force_login(member)
    client.force_login(member)
    assert client.get("/mon-compte/supprimer/").status_code == 200
    refused = client.post("/mon-compte/supprimer/", {"password": "faux", "confirm": "on"})
    assert "Mot de passe incorrect" in refused.content.decode()
    assert User.objects.filter(pk=member.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/mon-compte/supprimer/", {"password": "mot-de-passe-test", "confirm": "on"}, follow=True
        )
    assert "Votre compte et vos données personnelles sont supprimés" in response.content.decode()
    assert not User.objects.filter(pk=member.pk).exists()
    published = Ressource.objects.get(pk=data["published"].pk)
    assert published.auteur is None
    assert not Ressource.objects.filter(pk=data["draft"].pk).exists()
    data["message"].refresh_from_db()
    assert data["message"].auteur is None
    assert not Courriel.objects.filter(destinataire=member.email).exists()
    assert not Invitation.objects.filter(email=member.email).exists()
    assert not FluxCalendrier.objects.filter(membre_id=member.pk).exists()
    data["waiting"].refresh_from_db()
    assert data["waiting"].statut == Inscription.Statut.INSCRIT  # the freed place went to the waiting list
    assert "_auth_user_id" not in other_session.session
    assert other_session.get("/mon-compte/donnees/").status_code == 302
    reader = Client()
    reader.force_login(PartenaireFactory())
    page = reader.get(published.get_absolute_url()).content.decode()
    assert "Ancien membre" in page
    assert "Durand" not in page
    assert not member.photo.storage.exists(member.photo.name)
    assert JournalDonnees.objects.get(membre_id=member.pk).action == JournalDonnees.Action.SUPPRESSION


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_staff_export_and_delete_on_request_and_it_is_journalled(client, equipe, role):
    """Staff find the member by e-mail, export their data, then delete the account: each act journalled."""
    member, _data = _member_with_data(role)
    client.force_login(equipe)
    page = client.get("/animation/donnees/", {"email": member.email}).content.decode()
    assert member.email in page
    export = client.post(
        "/animation/donnees/", {"membre": member.pk, "action": "export", "motif": "Courriel du 3 mars 2026"}
    )
    assert json.loads(_zip(export).read("donnees.json"))["profil"]["adresse_email"] == member.email
    client.post(
        "/animation/donnees/", {"membre": member.pk, "action": "suppression", "motif": "Courriel du 3 mars 2026"}
    )
    assert not User.objects.filter(pk=member.pk).exists()
    journal = list(JournalDonnees.objects.order_by("pk").values_list("action", "membre_id", "par", "motif"))
    assert journal == [
        ("export", member.pk, equipe.pk, "Courriel du 3 mars 2026"),
        ("suppression", member.pk, equipe.pk, "Courriel du 3 mars 2026"),
    ]
    assert "Courriel du 3 mars 2026" in client.get("/animation/donnees/").content.decode()


def test_the_two_staff_forms_on_a_member_are_told_apart(client, equipe):
    """Export and deletion each sit in their own group, and their request fields have distinct labels."""
    member = ChefDeProjetFactory()
    client.force_login(equipe)
    page = client.get("/animation/donnees/", {"email": member.email}).content.decode()
    assert re.findall(r"<legend>(.*?)</legend>", page) == ["Exporter ses données", "Supprimer son compte"]
    labels = re.findall(r'<label for="motif-[a-z]+">(.*?)</label>', page)
    assert len(set(labels)) == len(labels) == 2


@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_only_staff_act_on_others_data(client_for, role):
    """Members get a 404 on the staff page and cannot export or delete someone else."""
    victim = ChefDeProjetFactory()
    client = client_for(role)
    response = client.get("/animation/donnees/", {"email": victim.email})
    assert response.status_code == (302 if role == "anonyme" else 404)
    client.post("/animation/donnees/", {"membre": victim.pk, "action": "suppression", "motif": "x"})
    assert User.objects.filter(pk=victim.pk).exists()


def test_the_personal_data_page_says_what_is_kept_and_for_how_long(client, settings):
    """« Données personnelles » is public and gives the retention of e-mails and notifications."""
    settings.OUTBOX_RETENTION_DAYS = 90
    page = client.get("/donnees-personnelles/").content.decode()
    assert "<h1>Données personnelles</h1>" in page
    assert "90 jours après l'envoi" in page
    assert "Ancien membre" in page


def test_the_retention_task_purges_sent_emails_after_the_retention_period(settings):
    """Sent messages older than OUTBOX_RETENTION_DAYS go; recent, pending and abandoned ones stay."""
    settings.OUTBOX_RETENTION_DAYS = 90
    old, _ = outbox_record(purpose="rappel", obj=1, to="a@exemple.fr", email=EMAIL, send=False)
    recent, _ = outbox_record(purpose="rappel", obj=2, to="b@exemple.fr", email=EMAIL, send=False)
    pending, _ = outbox_record(purpose="rappel", obj=3, to="c@exemple.fr", email=EMAIL, send=False)
    Courriel.objects.filter(pk=old.pk).update(statut="envoye", envoye_le=timezone.now() - timedelta(days=91))
    Courriel.objects.filter(pk=recent.pk).update(statut="envoye", envoye_le=timezone.now() - timedelta(days=89))
    Courriel.objects.filter(pk=pending.pk).update(cree_le=timezone.now() - timedelta(days=200))
    assert outbox_retention_purge() == 1
    assert set(Courriel.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def _notified_and_following(member: User):
    """The member follows a question, is told of an answer, and chose « jamais » for mentions;
    another member's notification names them as its actor."""
    from reseau_acv.core.models import ChoixNotification
    from reseau_acv.core.notifications import follow_automatically

    question = ressources_services.question_create(actor=ChefDeProjetFactory(), data={"titre": "Qui a une ORT ?"})
    follow_automatically(users=[member], target=question)
    ressources_services.message_create(actor=EquipeFactory(), fil=question, corps="La ville de Gien.")
    ChoixNotification.objects.create(membre=member, type="mention", envoi="jamais")
    ressources_services.message_create(actor=member, fil=question, corps="Merci !")
    return question


def test_the_export_holds_my_notifications_follows_and_choices_not_others(client):
    """My data: notifications told to me, what I follow, my choices — not others' notifications of my acts."""
    member = ChefDeProjetFactory(email="export@exemple.fr")
    _notified_and_following(member)
    client.force_login(member)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mon-compte/donnees/").content))
    data = json.loads(archive.read("donnees.json"))
    [notification] = data["core_notification__destinataire"]["lignes"]
    assert notification["texte"].endswith("a répondu à une question que vous suivez")
    assert len(data["core_suivi__membre"]["lignes"]) == 1
    assert data["core_choixnotification__membre"]["lignes"][0]["type"] == "mention"
    assert "core_notification__acteur" not in data


def test_deleting_the_account_removes_my_notifications_follows_and_choices():
    """Account deletion erases what was told to me, what I follow and my choices."""
    from reseau_acv.accueil.donnees import member_delete
    from reseau_acv.core.models import ChoixNotification, Notification, Suivi

    member = ChefDeProjetFactory(email="parti@exemple.fr")
    _notified_and_following(member)
    member_id = member.pk
    member_delete(actor=member, member=member, password="mot-de-passe-test")
    assert not Notification.objects.filter(destinataire_id=member_id).exists()
    assert not Suivi.objects.filter(membre_id=member_id).exists()
    assert not ChoixNotification.objects.filter(membre_id=member_id).exists()
    assert Notification.objects.filter(acteur__isnull=True).exists()  # others keep theirs, without me


def test_the_personal_data_page_says_how_long_read_notifications_are_kept(client, settings):
    """« Données personnelles » gives NOTIFICATION_RETENTION_DAYS for read notifications."""
    settings.NOTIFICATION_RETENTION_DAYS = 365
    page = client.get("/donnees-personnelles/").content.decode()
    assert "Notifications lues" in page
    assert "365 jours" in page


def test_deleting_an_account_takes_its_useful_marks_out_of_the_counts(client):
    """A departed member no longer counts in « utile pour N membres » of the resource, sheet and answer they marked."""
    from tests.factories.ressources import RetourExperienceFactory

    member = ChefDeProjetFactory()
    other = ChefDeProjetFactory()
    ressource = RessourceFactory(visibilite=Visibilite.PARTENAIRES)
    retour = RetourExperienceFactory()
    message = MessageFactory(question=QuestionFactory(visibilite=Visibilite.PARTENAIRES))
    for item in (ressource, retour, message):
        ressources_services.utile_toggle(actor=member, obj=item)
        ressources_services.utile_toggle(actor=other, obj=item)
    ressource.refresh_from_db()
    assert ressource.nb_utile == 2

    client.force_login(member)
    client.post("/mon-compte/supprimer/", {"password": "mot-de-passe-test", "confirm": "on"})

    assert not User.objects.filter(pk=member.pk).exists()
    for item in (ressource, retour, message):
        item.refresh_from_db()
        assert item.nb_utile == 1
    client.force_login(PartenaireFactory())
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert "1 membre l'a trouvé utile" in page
    assert "2 membres" not in page
