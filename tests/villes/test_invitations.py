import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reseau_acv.comptes.models import Invitation, Organisation, Role, User
from reseau_acv.core.models import Courriel
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, OrganisationFactory
from tests.factories.villes import VilleFactory
from villes.models import Mission

LINK_RE = re.compile(r"http://testserver(/comptes/invitation/[^/\s]+/)")
ACCEPT = {
    "first_name": "Inès",
    "last_name": "Garnier",
    "password1": "Loire-et-Sologne-2026",
    "password2": "Loire-et-Sologne-2026",
}


@pytest.fixture
def staff_client(client):
    client.force_login(EquipeFactory(first_name="Claire", last_name="Moreau"))
    return client


def _post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def _form(**data):
    return {
        "email": "ines.garnier@cc-septaine.fr",
        "prenom": "Inès",
        "nom": "Garnier",
        "role": Role.CHEF_DE_PROJET,
        "villes": ["18018", "18023"],  # the town picker posts INSEE codes
        "organisation": "CC La Septaine",
        "organisation_type": Organisation.Type.COLLECTIVITE,
        "intitule": "",
        "fonction": "Cheffe de projet Petites villes de demain",
        "message": "",
        **data,
    }


# --- one invitation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pvd_lead_is_invited_from_scratch(staff_client, septaine, django_capture_on_commit_callbacks):
    """The intercommunality comes from the reference data, the missions get the PVD title, one e-mail greets by name."""
    response = _post(staff_client, "/annuaire/inviter/", _form(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/annuaire/invitations/"

    invitation = Invitation.objects.get()
    assert (invitation.organisation.nom, invitation.organisation.siren) == ("CC La Septaine", "241800374")
    assert invitation.organisation.type == Organisation.Type.COLLECTIVITE
    assert sorted(invitation.missions.values_list("ville__nom", "intitule")) == [
        ("Avord", Mission.Intitule.CHEF_PVD),
        ("Baugy", Mission.Intitule.CHEF_PVD),
    ]
    (message,) = mail.outbox
    assert message.to == ["ines.garnier@cc-septaine.fr"]
    assert message.body.startswith("Bonjour Inès,")
    assert "CC La Septaine" in message.body

    # The link opens a form already filled with the name, and the account gets both towns.
    link = LINK_RE.search(message.body).group(1)
    staff_client.logout()
    page = staff_client.get(link).content.decode()
    assert 'value="Inès"' in page
    assert 'value="Garnier"' in page
    staff_client.post(link, ACCEPT)
    user = User.objects.get(email="ines.garnier@cc-septaine.fr")
    assert user.organisation == invitation.organisation
    assert sorted(user.missions.values_list("ville__nom", flat=True)) == ["Avord", "Baugy"]


@pytest.mark.django_db
def test_an_acv_town_gives_the_acv_title_and_staff_may_choose_another(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """A lead of an ACV town gets the ACV title; a title chosen by staff wins over the programme."""
    VilleFactory(nom="Vierzon", code_insee="18279")
    OrganisationFactory(nom="Ville de Vierzon")
    _post(
        staff_client,
        "/annuaire/inviter/",
        _form(email="a@vierzon.fr", villes="Vierzon ; 18018", organisation="ville de vierzon"),
        django_capture_on_commit_callbacks,
    )
    assert dict(Mission.objects.values_list("ville__nom", "intitule")) == {
        "Vierzon": Mission.Intitule.CHEF_ACV,
        "Avord": Mission.Intitule.CHEF_PVD,
    }
    _post(
        staff_client,
        "/annuaire/inviter/",
        _form(email="b@cc-septaine.fr", villes="Baugy", intitule=Mission.Intitule.COLLABORATEUR),
        django_capture_on_commit_callbacks,
    )
    assert Mission.objects.get(invitation__email="b@cc-septaine.fr").intitule == Mission.Intitule.COLLABORATEUR
    assert Organisation.objects.filter(nom="CC La Septaine").count() == 1


@pytest.mark.django_db
def test_a_new_organisation_is_created_only_once_staff_confirm_it(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """An unknown organisation name is not created silently: staff confirm it and choose its type."""
    data = _form(
        role=Role.PARTENAIRE, villes="", organisation="Agence d'urbanisme du Cher", organisation_type="operateur"
    )
    response = _post(staff_client, "/annuaire/inviter/", data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "n&#x27;est pas encore enregistrée" in response.content.decode()
    assert not Organisation.objects.filter(nom="Agence d'urbanisme du Cher").exists()
    assert mail.outbox == []

    response = _post(
        staff_client, "/annuaire/inviter/", {**data, "creer_organisation": "on"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert Organisation.objects.get(nom="Agence d'urbanisme du Cher").type == Organisation.Type.OPERATEUR
    assert len(mail.outbox) == 1
    assert not Mission.objects.exists()  # a partner serves no town


@pytest.mark.django_db
def test_an_organisation_may_be_named_by_its_acronym(staff_client, septaine, django_capture_on_commit_callbacks):
    """Typing « BDT » finds the Banque des Territoires."""
    bdt = OrganisationFactory(nom="Banque des Territoires", sigle="BDT")
    _post(
        staff_client,
        "/annuaire/inviter/",
        _form(role=Role.PARTENAIRE, villes="", organisation="bdt"),
        django_capture_on_commit_callbacks,
    )
    assert Invitation.objects.get().organisation == bdt


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("villes", "message"),
    [
        ("Avrod", "« Avrod » : aucune ville ni commune de ce nom."),
        ("Sully", "« Sully » : 2 communes portent ce nom (Sully (18), Sully (71)) : précisez le département"),
    ],
)
def test_towns_that_cannot_be_told_apart_are_explained(
    staff_client, septaine, django_capture_on_commit_callbacks, villes, message
):
    """An unknown town is refused, a homonym asks for its département; nothing is sent."""
    VilleFactory(nom="Sully", code_insee="18999", departement_code="18", slug="sully")
    VilleFactory(nom="Sully", code_insee="71529", departement_code="71", slug="sully-71529")
    response = _post(staff_client, "/annuaire/inviter/", _form(villes=villes), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_town_is_found_by_name_with_its_departement_or_by_code(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """« Sully (71) », accents and case aside, names one commune; a code names one too."""
    VilleFactory(nom="Sully", code_insee="18999", departement_code="18", slug="sully")
    VilleFactory(nom="Sully", code_insee="71529", departement_code="71", slug="sully-71529")
    VilleFactory(nom="Châteauroux", code_insee="36044", slug="chateauroux")
    _post(
        staff_client,
        "/annuaire/inviter/",
        _form(villes="Sully (71); CHATEAUROUX\n18023"),
        django_capture_on_commit_callbacks,
    )
    assert sorted(Mission.objects.values_list("ville__code_insee", flat=True)) == ["18023", "36044", "71529"]


@pytest.mark.django_db
def test_the_form_offers_the_regions_intercommunalites_and_no_long_select(staff_client, septaine):
    """The organisation field suggests the region's EPCIs with their communes; no select lists the towns."""
    VilleFactory.create_batch(60)
    page = staff_client.get("/annuaire/inviter/").content.decode()
    assert '<option value="CC La Septaine">intercommunalité : Avord, Baugy</option>' in page
    for select in re.findall(r"<select.*?</select>", page, flags=re.S):
        assert select.count("<option") < 50
    assert "Ctrl" not in page
    assert "data-ville-picker" in page


# --- pending invitations: list, resend, revoke ------------------------------------------------------


def _invite(client, capture, email="ines.garnier@cc-septaine.fr", **data):
    _post(client, "/annuaire/inviter/", _form(email=email, **data), capture)
    return Invitation.objects.get(email=email)


@pytest.mark.django_db
def test_pending_invitations_are_listed_with_their_towns(staff_client, septaine, django_capture_on_commit_callbacks):
    """The list shows who was invited, by whom, for which towns, and until when the link works."""
    _invite(staff_client, django_capture_on_commit_callbacks)
    page = staff_client.get("/annuaire/invitations/").content.decode()
    assert "Inès Garnier" in page
    assert "ines.garnier@cc-septaine.fr" in page
    assert "Avord, Baugy" in page
    assert "par Claire Moreau" in page
    assert "1 invitation attend que la personne crée son compte." in page
    assert "valable jusqu'au" in page
    assert "un nouveau lien, valable 14 jours, et désactive le précédent" in page


@pytest.mark.django_db
def test_the_list_is_paginated_and_expired_links_have_their_tab(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """Twenty-six pending invitations fill two pages; an expired one moves to the « liens expirés » tab."""
    organisation = OrganisationFactory()
    staff = User.objects.get(role=Role.EQUIPE)
    now = timezone.now()
    Invitation.objects.bulk_create(
        [
            Invitation(
                email=f"p{n}@x.fr",
                role=Role.PARTENAIRE,
                organisation=organisation,
                invite_par=staff,
                token_hash=f"{n:064d}",
                expire_le=now + timedelta(days=3),
                envoyee_le=now - timedelta(minutes=n),
            )
            for n in range(27)
        ]
    )
    Invitation.objects.filter(email="p26@x.fr").update(expire_le=now - timedelta(days=1))
    first = staff_client.get("/annuaire/invitations/").content.decode()
    assert "p0@x.fr" in first
    assert "p25@x.fr" not in first
    assert "Page 1 sur 2" in first
    second = staff_client.get("/annuaire/invitations/?etat=en_attente&page=2").content.decode()
    assert "p25@x.fr" in second
    assert "p26@x.fr" not in second
    expired = staff_client.get("/annuaire/invitations/?etat=expirees").content.decode()
    assert "p26@x.fr" in expired
    assert "p0@x.fr" not in expired
    assert "expirée le" in expired


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 20])
def test_the_list_runs_the_same_queries_for_1_and_20_invitations(staff_client, septaine, django_assert_num_queries, n):
    """Listing pending invitations costs the same queries whatever their number."""
    staff = User.objects.get(role=Role.EQUIPE)
    organisation = OrganisationFactory()
    for i in range(n):
        invitation = Invitation.objects.create(
            email=f"p{i}@x.fr",
            role=Role.CHEF_DE_PROJET,
            organisation=organisation,
            invite_par=staff,
            token_hash=f"{i:064d}",
            expire_le=timezone.now() + timedelta(days=3),
            envoyee_le=timezone.now(),
        )
        Mission.objects.create(invitation=invitation, ville=septaine[i % 2])
    with django_assert_num_queries(5):  # session, user, count, page of invitations, their missions and towns
        response = staff_client.get("/annuaire/invitations/")
    assert response.content.decode().count("Renvoyer<span") == n


@pytest.mark.django_db
def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """« Renvoyer » e-mails a fresh link valid for the full period; the first link is refused, the new one works."""
    invitation = _invite(staff_client, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expire_le=timezone.now() + timedelta(hours=1))
    old_link = LINK_RE.search(mail.outbox[0].body).group(1)
    response = _post(
        staff_client, f"/annuaire/invitations/{invitation.pk}/renvoyer/", {}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert "celui de notre précédent courriel ne fonctionne plus" in mail.outbox[1].body
    invitation.refresh_from_db()
    assert invitation.envois == 2
    assert invitation.expire_le > timezone.now() + timedelta(days=13)
    assert Courriel.objects.filter(destinataire=invitation.email).count() == 2

    staff_client.logout()
    refused = staff_client.get(old_link)
    assert refused.status_code == 410
    assert "courriel le plus récent" in refused.content.decode()
    new_link = LINK_RE.search(mail.outbox[1].body).group(1)
    staff_client.post(new_link, ACCEPT)
    assert User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_an_expired_invitation_can_be_resent(staff_client, septaine, django_capture_on_commit_callbacks):
    """An invitation whose link expired is resent from the « liens expirés » tab and becomes valid again."""
    invitation = _invite(staff_client, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expire_le=timezone.now() - timedelta(days=1))
    response = _post(
        staff_client,
        f"/annuaire/invitations/{invitation.pk}/renvoyer/",
        {"etat": "expirees"},
        django_capture_on_commit_callbacks,
    )
    assert response["Location"] == "/annuaire/invitations/?etat=expirees"
    assert Invitation.objects.pending().filter(pk=invitation.pk).exists()


@pytest.mark.django_db
def test_revoking_stops_the_link(staff_client, septaine, django_capture_on_commit_callbacks):
    """A revoked invitation leaves the list; its link says it was cancelled and creates no account."""
    invitation = _invite(staff_client, django_capture_on_commit_callbacks)
    link = LINK_RE.search(mail.outbox[0].body).group(1)
    _post(staff_client, f"/annuaire/invitations/{invitation.pk}/revoquer/", {}, django_capture_on_commit_callbacks)
    empty = staff_client.get("/annuaire/invitations/").content.decode()
    assert "Aucune invitation en attente." in empty
    assert "0 invitation" not in empty
    # A revoked invitation can be neither resent nor revoked again.
    assert staff_client.post(f"/annuaire/invitations/{invitation.pk}/renvoyer/").status_code == 404
    staff_client.logout()
    response = staff_client.get(link)
    assert response.status_code == 410
    assert "annulée" in response.content.decode()
    staff_client.post(link, ACCEPT)
    assert not User.objects.filter(email=invitation.email).exists()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_pending_address_is_not_invited_twice_but_an_expired_one_is(
    staff_client, septaine, django_capture_on_commit_callbacks
):
    """Inviting again while a link is valid says to resend it; after expiry a new invitation replaces the old one."""
    first = _invite(staff_client, django_capture_on_commit_callbacks)
    response = _post(staff_client, "/annuaire/inviter/", _form(), django_capture_on_commit_callbacks)
    assert "Renvoyez-la depuis la liste des invitations" in response.content.decode()
    assert len(mail.outbox) == 1

    Invitation.objects.filter(pk=first.pk).update(expire_le=timezone.now() - timedelta(days=1))
    _post(staff_client, "/annuaire/inviter/", _form(), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    first.refresh_from_db()
    assert first.is_revoked
    assert Invitation.objects.outstanding().get().pk != first.pk


# --- who may do it -----------------------------------------------------------------------------------

STAFF_PAGES = [
    "/annuaire/inviter/",
    "/annuaire/invitations/",
    "/annuaire/inviter/fichier/",
    "/annuaire/inviter/fichier/modele.csv",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [("anonyme", 302), ("partenaire", 404), ("chef_de_projet", 404), ("equipe", 200)]
)
def test_only_staff_reach_the_invitation_pages(client_for, url, role, status):
    """Staff open the invitation pages; other members get « not found », visitors the sign-in page."""
    assert client_for(role).get(url).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["renvoyer", "revoquer"])
@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_members_cannot_resend_or_revoke(client_for, septaine, action, role):
    """A member posting to resend or revoke gets a 404 and nothing changes."""
    invitation = Invitation.objects.create(
        email="x@y.fr",
        role=Role.PARTENAIRE,
        organisation=OrganisationFactory(),
        token_hash="0" * 64,
        expire_le=timezone.now() + timedelta(days=3),
    )
    assert client_for(role).post(f"/annuaire/invitations/{invitation.pk}/{action}/").status_code == 404
    invitation.refresh_from_db()
    assert (invitation.envois, invitation.revoquee_le) == (1, None)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_invitation_form_is_not_shown_to_a_lead(client):
    """A lead signed in sees no invitation form (404), even by its address."""
    client.force_login(ChefDeProjetFactory())
    assert client.post("/annuaire/inviter/", _form()).status_code == 404
    assert not Invitation.objects.exists()
