import pytest
from playwright.sync_api import expect

from reseau_acv.comptes.models import Invitation
from tests.factories.comptes import EquipeFactory, OrganisationFactory
from tests.factories.villes import VilleFactory
from tests.helpers import axe_violations, login
from tests.villes.conftest import make_septaine
from villes.models import Mission

CSV_WITH_ERRORS = (
    "email;prenom;nom;role;organisation;villes\n"
    "paul.roy@bdt.fr;Paul;Roy;partenaire;BDT;\n"
    "pas-une-adresse;Léa;Petit;chef_de_projet;Ville de Vierzon;Vierzonn\n"
    "marc@cc-septaine.fr;Marc;Blanc;chef_de_projet;CC La Septaine;Baugy\n"
)


@pytest.fixture
def septaine(transactional_db):
    make_septaine()
    VilleFactory(nom="Vierzon", code_insee="18279", slug="vierzon", departement_code="18")
    OrganisationFactory(nom="Banque des Territoires", sigle="BDT")
    EquipeFactory(email="animation@villesaucarre.fr", first_name="Claire", last_name="Moreau")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_invite_a_pvd_lead_then_a_list_from_a_file(live_server, page, septaine):
    """Invite a PVD lead by keyboard-friendly fields, see them pending, preview a CSV with errors; axe is clean on each page."""
    login(page, live_server.url, "animation@villesaucarre.fr")
    page.goto(live_server.url + "/annuaire/inviter/")
    assert axe_violations(page) == []

    # With JavaScript, the « new organisation » choices stay hidden for a known intercommunality,
    # and the towns disappear for a partner.
    page.get_by_label("Adresse e-mail").fill("ines.garnier@cc-septaine.fr")
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Garnier")
    towns = page.get_by_role("combobox", name="Villes ou communes (pour un·e chef·fe de projet)")
    page.get_by_role("radio", name="Partenaire").check()
    expect(towns).to_be_hidden()
    page.get_by_role("radio", name="Chef·fe de projet").check()
    for typed, town in (("avo", "Avord (18)"), ("bau", "Baugy (18)")):  # the town picker, by keyboard
        towns.focus()
        page.keyboard.type(typed)
        expect(page.get_by_role("option", name=town)).to_be_visible()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(page.get_by_role("checkbox", name=town)).to_be_checked()
        # The picker then gives a fresh, empty box for the next town (it is drawn again just after).
        expect(towns).to_have_value("")
        expect(towns).to_be_focused()
    page.get_by_role("combobox", name="Organisation (obligatoire)").fill("Agence inconnue")
    assert page.get_by_label("Type de la nouvelle organisation").is_visible()
    page.get_by_role("combobox", name="Organisation (obligatoire)").fill("CC La Septaine")
    assert not page.get_by_label("Type de la nouvelle organisation").is_visible()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url("**/annuaire/invitations/")

    assert "Invitation envoyée à ines.garnier@cc-septaine.fr." in page.content()
    row = page.get_by_role("row", name="Inès Garnier")
    assert "Avord, Baugy" in row.inner_text()
    assert axe_violations(page) == []
    assert set(Mission.objects.values_list("intitule", flat=True)) == {Mission.Intitule.CHEF_PVD}

    page.get_by_role("button", name="Renvoyer l'invitation de ines.garnier@cc-septaine.fr").click()
    page.wait_for_url("**/annuaire/invitations/?etat=en_attente")
    assert Invitation.objects.get().envois == 2

    page.get_by_role("link", name="Inviter depuis un fichier CSV").click()
    page.get_by_label("Fichier CSV").set_input_files(
        files=[{"name": "invitations.csv", "mimeType": "text/csv", "buffer": CSV_WITH_ERRORS.encode("cp1252")}]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name="Aperçu des invitations")).to_be_visible()  # waits for the page
    assert "adresse e-mail invalide" in page.content()
    assert "ville ou commune inconnue : « Vierzonn »" in page.content()
    assert axe_violations(page) == []
    assert Invitation.objects.count() == 1  # nothing sent before confirmation

    page.get_by_role("button", name="Envoyer les 2 invitations").click()
    page.wait_for_url("**/annuaire/invitations/")
    assert "2 invitations envoyées." in page.content()
    assert Invitation.objects.count() == 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_invitation_form_works_without_javascript(live_server, browser, septaine):
    """Without JavaScript every field is there; a new organisation is created once staff tick the box."""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "animation@villesaucarre.fr")
    page.goto(live_server.url + "/annuaire/inviter/")
    page.get_by_label("Adresse e-mail").fill("lea.petit@agence.fr")
    page.get_by_role("radio", name="Partenaire").check()
    page.get_by_role("combobox", name="Organisation (obligatoire)").fill("Agence d'urbanisme du Cher")
    page.get_by_label("Type de la nouvelle organisation").select_option("operateur")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert "n'est pas encore enregistrée" in page.content()
    page.get_by_label("Créer cette organisation : elle n'est pas encore enregistrée").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url("**/annuaire/invitations/")
    assert Invitation.objects.get().organisation.nom == "Agence d'urbanisme du Cher"
    context.close()
