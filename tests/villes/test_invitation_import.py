import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from reseau_acv.comptes.models import Invitation, Organisation
from reseau_acv.core.models import Courriel
from tests.factories.comptes import EquipeFactory, OrganisationFactory, PartenaireFactory
from tests.factories.villes import VilleFactory
from villes.models import Mission

URL = "/annuaire/inviter/fichier/"
GOOD = (
    "email,prenom,nom,role,organisation,villes,fonction,mission\n"
    "ines.garnier@cc-septaine.fr,Inès,Garnier,chef_de_projet,CC La Septaine,Avord;Baugy,Cheffe de projet PVD,\n"
    "paul.roy@bdt.fr,Paul,Roy,partenaire,Banque des Territoires,,Chargé de mission,\n"
    "lea.petit@vierzon.fr,Léa,Petit,Cheffe de projet,Ville de Vierzon,Vierzon,,acv\n"
)


@pytest.fixture
def towns(septaine):
    VilleFactory(nom="Vierzon", code_insee="18279", slug="vierzon", departement_code="18")
    OrganisationFactory(nom="Banque des Territoires", sigle="BDT")


@pytest.fixture
def staff_client(client):
    client.force_login(EquipeFactory())
    return client


def _upload(client, text: str, *, encoding="utf-8", message=""):
    upload = SimpleUploadedFile("invitations.csv", text.encode(encoding), content_type="text/csv")
    return client.post(URL, {"fichier": upload, "message": message})


def _payload(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


def _confirm(client, payload, capture):
    with capture(execute=True):
        return client.post(URL, {"payload": payload})


@pytest.mark.django_db
def test_the_preview_shows_every_line_and_sends_nothing(staff_client, towns):
    """Uploading gives a preview of each invitation — organisation, towns with their title — and nothing is sent."""
    response = _upload(staff_client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 invitations prêtes" in page
    assert "0 ligne en erreur." in page
    assert "intercommunalité de la région, sera créée" in page
    assert "nouvelle organisation, sera créée" in page  # Ville de Vierzon
    assert 'Avord (18) — <span class="small">Chef·fe de projet Petites villes de demain</span>' in page
    assert 'Vierzon (18) — <span class="small">Chef·fe de projet Action Cœur de Ville</span>' in page
    assert "Envoyer les 3 invitations" in page
    assert not Invitation.objects.exists()
    assert not Organisation.objects.filter(nom="CC La Septaine").exists()
    assert not Courriel.objects.exists()


@pytest.mark.django_db
def test_each_refused_line_says_why(staff_client, towns):
    """Errors come line by line: bad address, existing account, repeated address, unknown role, town or mission."""
    PartenaireFactory(email="deja@membre.fr")
    text = (
        "email;nom;role;organisation;villes;mission\n"
        "pas-une-adresse;A;partenaire;BDT;;\n"
        "deja@membre.fr;B;partenaire;BDT;;\n"
        "c@x.fr;C;stagiaire;BDT;;\n"
        "d@x.fr;D;chef_de_projet;BDT;Avrod;\n"
        "e@x.fr;E;chef_de_projet;BDT;;\n"
        "f@x.fr;F;chef_de_projet;BDT;Avord;maire\n"
        "g@x.fr;G;partenaire;;;\n"
        "C@x.fr;C2;partenaire;BDT;;\n"
        "h@x.fr;H;partenaire\n"
        "ok@x.fr;OK;partenaire;BDT;;\n"
    )
    page = _upload(staff_client, text).content.decode().replace("&#x27;", "'")
    assert "1 invitation prête" in page
    assert "9 lignes en erreur." in page
    expected = [
        ("2", "adresse e-mail invalide : « pas-une-adresse »"),
        ("3", "un compte existe déjà pour cette adresse"),
        ("4", "rôle « stagiaire » inconnu : chef_de_projet, partenaire ou equipe"),
        ("5", "ville ou commune inconnue : « Avrod » (vérifiez l'orthographe ou donnez le code INSEE)"),
        ("6", "une ville au moins pour un·e chef·fe de projet (colonne « villes »)"),
        ("7", "mission « maire » inconnue : acv, pvd, collaborateur ou elu"),
        ("8", "organisation manquante"),
        ("9", "email « C@x.fr » déjà présent ligne 4"),
        ("10", "3 champs au lieu des 6 de l'en-tête"),
    ]
    for line, reason in expected:
        assert re.search(rf"<th scope=\"row\">{line}</th>.*?{re.escape(reason)}", page, flags=re.S), (line, reason)
    assert "Envoyer 1 invitation" in page


@pytest.mark.django_db
def test_confirming_sends_each_invitation_once_and_twice_sends_nothing_more(
    staff_client, towns, django_capture_on_commit_callbacks
):
    """Confirming creates the organisations, invitations and missions and e-mails each person; confirming again sends nothing."""
    preview = _upload(staff_client, GOOD, message="Bienvenue !")
    payload = _payload(preview)
    response = _confirm(staff_client, payload, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/annuaire/invitations/"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ines.garnier@cc-septaine.fr",
        "lea.petit@vierzon.fr",
        "paul.roy@bdt.fr",
    ]
    assert all("Bienvenue !" in m.body for m in mail.outbox)
    assert Organisation.objects.get(nom="CC La Septaine").siren == "241800374"
    assert Organisation.objects.get(nom="Ville de Vierzon").type == Organisation.Type.AUTRE
    assert sorted(Mission.objects.values_list("invitation__email", "ville__nom", "intitule")) == [
        ("ines.garnier@cc-septaine.fr", "Avord", "chef_pvd"),
        ("ines.garnier@cc-septaine.fr", "Baugy", "chef_pvd"),
        ("lea.petit@vierzon.fr", "Vierzon", "chef_acv"),
    ]
    assert "3 invitations envoyées." in staff_client.get("/annuaire/invitations/").content.decode()

    again = _confirm(staff_client, payload, django_capture_on_commit_callbacks)
    assert again.status_code == 200
    assert "Rien n'a été envoyé" in again.content.decode().replace("&#x27;", "'")
    assert len(mail.outbox) == 3
    assert Invitation.objects.count() == 3


# Session and user (2); checking the file again (6); organisations found and created (3); accounts,
# pending and expired invitations (3); invitations (1); outbox (3); missions (1); savepoints (8).
QUERIES = 27


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_confirming_runs_the_same_queries_for_2_and_12_people(
    staff_client, towns, django_assert_num_queries, django_capture_on_commit_callbacks, n
):
    """Sending the batch (organisations, invitations, missions, outbox) costs the same queries whatever its size."""
    lines = [f"p{i}@x.fr,P{i},partenaire,Organisation {i % 3},," for i in range(n - 1)]
    text = (
        "email,nom,role,organisation,villes,mission\n"
        + "\n".join(lines)
        + "\nlead@x.fr,L,chef_de_projet,CC La Septaine,Avord;Baugy,\n"
    )
    payload = _payload(_upload(staff_client, text))
    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_num_queries(QUERIES):
        staff_client.post(URL, {"payload": payload})
    assert Invitation.objects.count() == n
    assert Courriel.objects.filter(statut=Courriel.Statut.EN_ATTENTE).count() == n
    assert len(callbacks) == 1  # one task sends the whole batch


@pytest.mark.django_db
def test_an_excel_file_in_windows_1252_with_semicolons_is_read(staff_client, towns):
    """Excel's « CSV (séparateur : point-virgule) » in Windows-1252 gives the same preview, accents intact."""
    text = "email;prenom;nom;role;organisation;villes\nines@x.fr;Inès;Garnier;chef_de_projet;CC La Septaine;Avord\n"
    page = _upload(staff_client, text, encoding="cp1252").content.decode()
    assert "Windows-1252" in page
    assert "Inès Garnier" in page
    assert "1 invitation prête" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Le fichier soumis est vide."),
        ("email,role,organisation\n", "invitations.csv, ligne 1 : aucune ligne de données"),
        ("courriel,role\na@b.fr,partenaire\n", "colonnes manquantes dans l'en-tête : « email », « organisation »"),
        ("email,organisation,telephone\na@b.fr,BDT,0102\n", "colonne inconnue « telephone »"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_on_the_form(staff_client, towns, text, message):
    """An empty file, a header alone, missing or unknown columns: the upload form says so, no preview."""
    response = _upload(staff_client, text)
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert "Aperçu" not in page


@pytest.mark.django_db
def test_a_tampered_preview_is_refused(staff_client, towns, django_capture_on_commit_callbacks):
    """A confirmation whose signed content was changed sends nothing."""
    payload = _payload(_upload(staff_client, GOOD))
    response = _confirm(staff_client, payload[:-3] + "abc", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_template_file_is_accepted_as_it_is(staff_client, towns):
    """The downloadable model file previews without errors."""
    template = staff_client.get(URL + "modele.csv")
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    upload = SimpleUploadedFile("modele.csv", template.content, content_type="text/csv")
    page = staff_client.post(URL, {"fichier": upload}).content.decode()
    assert "2 invitations prêtes" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_members_cannot_upload_or_confirm(client_for, towns, role):
    """A member posting a file or a confirmation gets a 404; nothing is created."""
    client = client_for(role)
    assert _upload(client, GOOD).status_code == 404
    assert client.post(URL, {"payload": "x"}).status_code == 404
    assert not Invitation.objects.exists()
