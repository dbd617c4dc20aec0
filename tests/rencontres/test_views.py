from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar

from rencontres import services
from rencontres.models import FluxCalendrier, Inscription, Rencontre
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut
from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.rencontres import InscriptionFactory, PointOrdreDuJourFactory, RencontreFactory
from tests.factories.villes import VilleFactory

# Which roles see a meeting of each visibility (drafts: staff only).
SEES = {
    Visibilite.PUBLIC: {"anonyme", "partenaire", "chef_de_projet", "equipe"},
    Visibilite.PARTENAIRES: {"partenaire", "chef_de_projet", "equipe"},
    Visibilite.RESEAU: {"chef_de_projet", "equipe"},
    Visibilite.EQUIPE: {"equipe"},
}


def make_ressource(titre: str, visibilite: str, statut: str = Statut.PUBLIE) -> Ressource:
    return Ressource.objects.create(
        titre=titre, slug=slugify(titre), visibilite=visibilite, statut=statut, type="presentation"
    )


# --- Visibility for every role -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibilite", list(SEES))
def test_meeting_page_and_agenda_follow_visibility(client_for, role, visibilite):
    """Each role sees the meetings of its level in the agenda and on their page; others answer 404."""
    rencontre = RencontreFactory(visibilite=visibilite, titre="Rencontre à tester")
    client = client_for(role)
    agenda = client.get(reverse("rencontres:rencontre-list")).content.decode()
    detail = client.get(rencontre.get_absolute_url())
    ics = client.get(reverse("rencontres:rencontre-ics", args=[rencontre.pk]))
    if role in SEES[visibilite]:
        assert "Rencontre à tester" in agenda
        assert detail.status_code == 200
        assert ics.status_code == 200
    else:
        assert "Rencontre à tester" not in agenda
        assert detail.status_code == 404
        assert ics.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_seen_by_staff_only(client_for, role):
    """A draft meeting is invisible to everyone but staff, even when it is public."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC, statut=Rencontre.Statut.BROUILLON)
    response = client_for(role).get(rencontre.get_absolute_url())
    assert response.status_code == (200 if role == "equipe" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "registered", "shown"),
    [
        ("anonyme", False, False),
        ("partenaire", False, False),
        ("partenaire", True, True),
        ("chef_de_projet", False, False),
        ("chef_de_projet", True, True),
        ("equipe", False, True),
    ],
)
def test_video_link_is_shown_to_registered_members_and_staff_only(client, user_for_role, role, registered, shown):
    """The video link appears on the page and in the .ics only for registered members and staff."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    user = user_for_role(role)
    if user:
        client.force_login(user)
        if registered:
            InscriptionFactory(rencontre=rencontre, membre=user)
    page = client.get(rencontre.get_absolute_url()).content.decode()
    ics = client.get(reverse("rencontres:rencontre-ics", args=[rencontre.pk])).content.decode()
    assert (rencontre.lien_visio in page) is shown
    assert (rencontre.lien_visio in ics.replace("\r\n ", "")) is shown


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_materials_on_the_meeting_page_follow_their_own_visibility(client_for, role):
    """The meeting page lists each material only to those who may see it."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    rencontre.materiaux.add(
        make_ressource("Support public", Visibilite.PUBLIC),
        make_ressource("Support partenaires", Visibilite.PARTENAIRES),
        make_ressource("Notes du réseau", Visibilite.RESEAU),
        make_ressource("Brouillon interne", Visibilite.PUBLIC, statut=Statut.BROUILLON),
    )
    page = client_for(role).get(rencontre.get_absolute_url()).content.decode()
    assert "Support public" in page
    assert ("Support partenaires" in page) is (role != "anonyme")
    assert ("Notes du réseau" in page) is (role in {"chef_de_projet", "equipe"})
    assert ("Brouillon interne" in page) is (role == "equipe")


# --- Registration through the pages ------------------------------------------------------------


@pytest.mark.django_db
def test_a_lead_registers_and_withdraws_from_the_meeting_page(client, chef):
    """A lead clicks « M'inscrire », sees the link, then « Me désinscrire » and no longer sees it."""
    rencontre = RencontreFactory()
    client.force_login(chef)
    response = client.post(reverse("rencontres:inscription-create", args=[rencontre.pk]), follow=True)
    assert "Vous êtes inscrit·e." in response.content.decode()
    assert rencontre.lien_visio in response.content.decode()
    response = client.post(reverse("rencontres:inscription-delete", args=[rencontre.pk]), follow=True)
    assert rencontre.lien_visio not in response.content.decode()
    assert Inscription.objects.get(rencontre=rencontre, membre=chef).statut == Inscription.Statut.DESINSCRIT


@pytest.mark.django_db
def test_anonymous_visitors_are_asked_to_sign_in_to_register(client):
    """Posting a registration without a session leads to the sign-in page."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    response = client.post(reverse("rencontres:inscription-create", args=[rencontre.pk]))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


@pytest.mark.django_db
def test_registering_for_a_hidden_meeting_answers_not_found(client, partenaire):
    """A partner posting a registration for a leads-only meeting gets a 404."""
    rencontre = RencontreFactory(visibilite=Visibilite.RESEAU)
    client.force_login(partenaire)
    assert client.post(reverse("rencontres:inscription-create", args=[rencontre.pk])).status_code == 404
    assert not Inscription.objects.exists()


@pytest.mark.django_db
def test_my_registrations_lists_my_meetings(client, chef):
    """« Mes inscriptions » lists the meetings I registered for or wait for, not the others."""
    mine, waiting, other = (
        RencontreFactory(titre="La mienne"),
        RencontreFactory(titre="En attente"),
        RencontreFactory(titre="Autre"),
    )
    InscriptionFactory(rencontre=mine, membre=chef)
    InscriptionFactory(rencontre=waiting, membre=chef, statut=Inscription.Statut.ATTENTE)
    InscriptionFactory(rencontre=other)
    client.force_login(chef)
    page = client.get(reverse("rencontres:inscription-list")).content.decode()
    assert "La mienne" in page
    assert "En attente" in page
    assert "Autre" not in page


# --- Private calendar feed ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_private_feed_works_without_a_session_and_holds_my_meetings(client, chef):
    """A calendar app opens the private address without signing in and gets my meetings with their link."""
    mine = RencontreFactory(titre="Ma séance")
    InscriptionFactory(rencontre=mine, membre=chef)
    cancelled = RencontreFactory(titre="Séance annulée", statut=Rencontre.Statut.ANNULEE)
    InscriptionFactory(rencontre=cancelled, membre=chef)
    RencontreFactory(titre="Pas la mienne")
    token = services.flux_renew(actor=chef)
    response = client.get(reverse("rencontres:flux-detail", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {"Ma séance", "Séance annulée"}
    assert str(events["Séance annulée"]["status"]) == "CANCELLED"
    assert mine.lien_visio in str(events["Ma séance"]["description"])
    assert FluxCalendrier.objects.get(membre=chef).dernier_acces is not None


@pytest.mark.django_db
def test_the_feed_leaves_out_meetings_above_my_level(client):
    """A partner registered for a meeting later restricted to leads no longer gets it in their feed."""
    partenaire = PartenaireFactory()
    rencontre = RencontreFactory(visibilite=Visibilite.PARTENAIRES, titre="Restreinte ensuite")
    InscriptionFactory(rencontre=rencontre, membre=partenaire)
    Rencontre.objects.filter(pk=rencontre.pk).update(visibilite=Visibilite.RESEAU)
    token = services.flux_renew(actor=partenaire)
    body = client.get(reverse("rencontres:flux-detail", args=[token])).content.decode()
    assert "Restreinte ensuite" not in body


@pytest.mark.django_db
def test_an_unknown_or_renewed_feed_token_answers_not_found(client, chef):
    """A wrong token, or the token before renewal, answers 404."""
    old = services.flux_renew(actor=chef)
    services.flux_renew(actor=chef)
    assert client.get(reverse("rencontres:flux-detail", args=[old])).status_code == 404
    assert client.get(reverse("rencontres:flux-detail", args=["inconnu"])).status_code == 404


@pytest.mark.django_db
def test_renewing_shows_the_new_address_once(client, chef):
    """After « Renouveler », the page shows the new private address; a later visit does not."""
    client.force_login(chef)
    response = client.post(reverse("rencontres:flux-renew"))
    assert 'id="flux-url"' in response.content.decode()
    assert 'id="flux-url"' not in client.get(reverse("rencontres:inscription-list")).content.decode()


# --- Staff pages ---------------------------------------------------------------------------------


STAFF_PAGES = ["rencontre-update", "rencontre-attendance", "rencontre-export"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_answer_staff_only(client_for, role, name):
    """Staff pages: anonymous visitors are sent to sign in, other members get a 404."""
    debut = timezone.now() - timedelta(days=1)
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC, debut=debut, fin=debut + timedelta(hours=2))
    response = client_for(role).get(reverse(f"rencontres:{name}", args=[rencontre.pk]))
    expected = {"anonyme": 302, "partenaire": 404, "chef_de_projet": 404, "equipe": 200}[role]
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_members_cannot_publish_cancel_or_create(client_for, role):
    """Members posting staff actions get a 404 and nothing changes."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC, statut=Rencontre.Statut.PUBLIEE)
    client = client_for(role)
    assert client.post(reverse("rencontres:rencontre-cancel", args=[rencontre.pk])).status_code == 404
    assert client.get(reverse("rencontres:rencontre-create")).status_code == 404
    rencontre.refresh_from_db()
    assert rencontre.statut == Rencontre.Statut.PUBLIEE


@pytest.mark.django_db
def test_staff_create_edit_and_publish_a_meeting_through_the_form(client, equipe):
    """Staff fill the form with agenda items, then publish: the meeting shows its agenda."""
    client.force_login(equipe)
    ville = VilleFactory(nom="Vierzon")
    data = {
        "type": "visite",
        "titre": "Visite des friches de Vierzon",
        "resume": "",
        "debut": "2030-10-27T09:30",
        "fin": "2030-10-27T16:00",
        "format": "presentiel",
        "ville": ville.code_insee,
        "adresse": "Place de l'Hôtel de ville",
        "lien_visio": "",
        "visibilite": "reseau",
        "capacite": "20",
        "date_limite_inscription": "",
        "ordre_du_jour": "",
        "compte_rendu": "",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-ordre": "1",
        "points-0-horaire": "09:30",
        "points-0-titre": "Accueil en mairie",
        "points-1-ordre": "",
        "points-1-titre": "",
    }
    response = client.post(reverse("rencontres:rencontre-create"), data)
    assert response.status_code == 302, response.context["form"].errors.as_text() + str(
        response.context["formset"].errors
    )
    rencontre = Rencontre.objects.get(titre="Visite des friches de Vierzon")
    assert rencontre.statut == Rencontre.Statut.BROUILLON
    assert timezone.localtime(rencontre.debut).hour == 9
    assert [p.titre for p in rencontre.points.all()] == ["Accueil en mairie"]
    client.post(reverse("rencontres:rencontre-publish", args=[rencontre.pk]))
    rencontre.refresh_from_db()
    assert rencontre.statut == Rencontre.Statut.PUBLIEE
    page = client.get(rencontre.get_absolute_url()).content.decode()
    assert "Accueil en mairie" in page
    response = client.post(
        reverse("rencontres:rencontre-update", args=[rencontre.pk]), {**data, "fin": "2030-10-27T08:00"}
    )
    assert response.status_code == 200
    assert "La fin doit suivre le début." in response.content.decode()


@pytest.mark.django_db
def test_staff_download_registrants_and_attendance_as_csv(client, equipe):
    """The CSV lists registered and waiting members with their organisation and attendance."""
    debut = timezone.now() - timedelta(days=1)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    present = InscriptionFactory(rencontre=rencontre, present=True)
    InscriptionFactory(
        rencontre=rencontre, statut=Inscription.Statut.DESINSCRIT, membre=ChefDeProjetFactory(last_name="Parti")
    )
    client.force_login(equipe)
    response = client.get(reverse("rencontres:rencontre-export", args=[rencontre.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Nom;Prénom;Adresse e-mail;Organisation")
    assert len(lines) == 2
    assert present.membre.email in lines[1]
    assert "présent·e" in lines[1]
    assert present.membre.organisation.nom in lines[1]


@pytest.mark.django_db
def test_staff_mark_attendance_through_the_page(client, equipe):
    """Staff tick the people present on the attendance page."""
    debut = timezone.now() - timedelta(days=1)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    venu, absent = InscriptionFactory(rencontre=rencontre), InscriptionFactory(rencontre=rencontre)
    client.force_login(equipe)
    response = client.post(reverse("rencontres:rencontre-attendance", args=[rencontre.pk]), {"presents": [venu.pk]})
    assert response.status_code == 302
    venu.refresh_from_db()
    absent.refresh_from_db()
    assert (venu.present, absent.present) == (True, False)


# --- Plenary archive -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_plenary_archive_per_year_follows_visibility(client_for, role):
    """Partners and above browse the 2021 plenary with its materials and organisations; anonymous gets 404."""
    debut = timezone.make_aware(timezone.datetime(2021, 1, 28, 9, 30))
    pleniere = RencontreFactory(
        type=Rencontre.Type.PLENIERE,
        titre="Deuxième rencontre régionale",
        visibilite=Visibilite.PARTENAIRES,
        debut=debut,
        fin=debut + timedelta(hours=4),
        statut=Rencontre.Statut.TENUE,
        compte_rendu="Les partenaires ont présenté le plan de relance.",
    )
    pleniere.materiaux.add(make_ressource("Diaporama plénière", Visibilite.PARTENAIRES))
    PointOrdreDuJourFactory(rencontre=pleniere, titre="Le plan de relance ACV")
    InscriptionFactory(
        rencontre=pleniere, present=True, membre=PartenaireFactory(organisation__nom="Banque des Territoires")
    )
    client = client_for(role)
    response = client.get(reverse("rencontres:pleniere-year", args=[2021]))
    years = client.get(reverse("rencontres:pleniere-list")).content.decode()
    if role == "anonyme":
        assert response.status_code == 404
        assert "/plenieres/2021/" not in years
    else:
        page = response.content.decode()
        assert "Deuxième rencontre régionale" in page
        assert "Diaporama plénière" in page
        assert "Le plan de relance ACV" in page
        assert "Banque des Territoires" in page
        assert "/plenieres/2021/" in years


# --- Town page and dashboard ----------------------------------------------------------------------


@pytest.mark.django_db
def test_town_page_and_dashboard_show_upcoming_meetings(client, chef):
    """The host town's page and the dashboard list the upcoming meeting the member may see."""
    ville = VilleFactory(nom="Chinon", slug="chinon")
    RencontreFactory(titre="Visite à Chinon", ville=ville, format=Rencontre.Format.PRESENTIEL, adresse="Mairie")
    RencontreFactory(titre="Visite réservée", ville=ville, visibilite=Visibilite.EQUIPE)
    client.force_login(chef)
    town = client.get(ville.get_absolute_url()).content.decode()
    assert "Visite à Chinon" in town
    assert "Visite réservée" not in town
    dashboard = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Visite à Chinon" in dashboard


# --- Materials uploaded from the meeting page ---------------------------------------------------


@pytest.mark.django_db
def test_staff_attach_a_material_that_joins_the_library_with_its_own_visibility(client, equipe):
    """Staff upload slides on the meeting page: a published resource linked to the meeting, visible at its level."""
    from ressources.demo import PDF_DEMO

    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    client.force_login(equipe)
    upload = SimpleUploadedFile("diaporama.pdf", PDF_DEMO, content_type="application/pdf")
    response = client.post(
        reverse("rencontres:materiau-create", args=[rencontre.pk]),
        {
            "materiau-titre": "Diaporama de la séance",
            "materiau-type": "presentation",
            "materiau-visibilite": "reseau",
            "materiau-fichier": upload,
        },
    )
    assert response.status_code == 302
    [ressource] = rencontre.materiaux.all()
    assert (ressource.titre, ressource.statut, ressource.visibilite) == ("Diaporama de la séance", "publie", "reseau")
    client.force_login(PartenaireFactory())
    assert "Diaporama de la séance" not in client.get(rencontre.get_absolute_url()).content.decode()
    client.force_login(ChefDeProjetFactory())
    assert "Diaporama de la séance" in client.get(rencontre.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_file_that_is_not_what_it_claims_is_refused(client, equipe):
    """A fake PDF is refused with a message and nothing is attached."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    client.force_login(equipe)
    upload = SimpleUploadedFile("diaporama.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    data = {"materiau-titre": "Faux", "materiau-type": "presentation", "materiau-visibilite": "public"}
    response = client.post(
        reverse("rencontres:materiau-create", args=[rencontre.pk]), {**data, "materiau-fichier": upload}, follow=True
    )
    assert response.status_code == 200
    assert rencontre.materiaux.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_members_cannot_attach_materials(client_for, role):
    """Only staff attach materials: others are sent to sign in or get a 404."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC)
    response = client_for(role).post(reverse("rencontres:materiau-create", args=[rencontre.pk]), {})
    assert response.status_code == (302 if role == "anonyme" else 404)
    assert rencontre.materiaux.count() == 0


# --- Feeds for every role ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet", "equipe"])
def test_each_role_feed_holds_only_meetings_of_its_level(client, user_for_role, role):
    """A member registered at every level (e.g. before a change of role) gets in their feed only what they may see."""
    user = user_for_role(role)
    for level in SEES:
        rencontre = RencontreFactory(visibilite=level, titre=f"Niveau {level}")
        InscriptionFactory(rencontre=rencontre, membre=user)
    token = services.flux_renew(actor=user)
    calendar = Calendar.from_ical(client.get(reverse("rencontres:flux-detail", args=[token])).content)
    titles = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert titles == {f"Niveau {level}" for level, roles in SEES.items() if role in roles}
