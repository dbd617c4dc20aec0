"""A meeting's materials are chosen with a picker among the resources staff may see, never a <select>."""

import re

import pytest
from django.urls import reverse

from rencontres.models import Rencontre
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut
from tests.factories.comptes import PartenaireFactory
from tests.factories.rencontres import RencontreFactory

FORM = {
    "type": "visite",
    "titre": "Visite des friches",
    "resume": "",
    "debut": "2030-10-27T09:30",
    "fin": "2030-10-27T16:00",
    "format": "visio",
    "ville": "",
    "adresse": "",
    "lien_visio": "https://visio.example/friches",
    "visibilite": "reseau",
    "capacite": "",
    "date_limite_inscription": "",
    "ordre_du_jour": "",
    "compte_rendu": "",
    "points-TOTAL_FORMS": "0",
    "points-INITIAL_FORMS": "0",
    "points-MIN_NUM_FORMS": "0",
    "points-MAX_NUM_FORMS": "1000",
}


def ressource(titre: str, visibilite=Visibilite.RESEAU) -> Ressource:
    n = Ressource.objects.count()
    return Ressource.objects.create(titre=titre, slug=f"r-{n}", statut=Statut.PUBLIE, visibilite=visibilite)


@pytest.mark.django_db
def test_the_meeting_form_has_no_select_of_resources_however_large_the_library(client, equipe):
    """With 80 resources in the library the form offers a text box, not a list of 80 options."""
    for i in range(80):
        ressource(f"Guide numéro {i}")
    client.force_login(equipe)
    page = client.get(reverse("rencontres:rencontre-create")).content.decode()
    assert 'name="materiaux"' in page
    assert not re.search(r'<select[^>]*name="materiaux"', page)
    assert page.count("<option") < 50


@pytest.mark.django_db
def test_staff_attach_materials_by_title_words_or_number_without_javascript(client, equipe):
    """Typed words of a title and a number, separated by « ; », attach those resources; the edit form
    shows them as checked boxes, and unchecking one removes it."""
    diaporama = ressource("Diaporama de la plénière 2021")
    compte_rendu = ressource("Compte rendu de la visite de Vierzon")
    client.force_login(equipe)
    data = {**FORM, "materiaux": f"diaporama de la plénière ; n° {compte_rendu.pk}"}
    response = client.post(reverse("rencontres:rencontre-create"), data)
    assert response.status_code == 302, response.context["form"].errors.as_text()
    rencontre = Rencontre.objects.get(titre="Visite des friches")
    assert set(rencontre.materiaux.all()) == {diaporama, compte_rendu}

    page = client.get(reverse("rencontres:rencontre-update", args=[rencontre.pk])).content.decode()
    assert re.search(rf'type="checkbox" name="materiaux" value="{diaporama.pk}"[^>]*checked', page)
    client.post(reverse("rencontres:rencontre-update", args=[rencontre.pk]), {**FORM, "materiaux": [str(diaporama.pk)]})
    assert list(rencontre.materiaux.all()) == [diaporama]


@pytest.mark.django_db
def test_an_unknown_or_ambiguous_title_is_asked_again_with_the_candidates(client, equipe):
    """A title that matches nothing, or several resources, is refused with a clear message naming the candidates."""
    first, second = ressource("Guide OPAH-RU Blois"), ressource("Guide OPAH-RU Bourges")
    client.force_login(equipe)
    response = client.post(
        reverse("rencontres:rencontre-create"), {**FORM, "materiaux": "guide opah ; rapport inexistant"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "« rapport inexistant » : aucune ressource de ce titre" in text
    assert "plusieurs ressources" in text
    assert f"n° {first.pk}" in text
    assert f"n° {second.pk}" in text
    assert not Rencontre.objects.exists()


@pytest.mark.django_db
def test_suggestions_list_only_what_the_member_may_see(client):
    """The picker's suggestions hold the resources whose title has the typed words, among those the member may see."""
    public = ressource("Guide du commerce de centre-ville", Visibilite.PARTENAIRES)
    ressource("Guide du commerce réservé au réseau", Visibilite.RESEAU)
    ressource("Étude habitat", Visibilite.PARTENAIRES)
    url = reverse("ressources:ressource-choices")
    assert client.get(url, {"q": "guide"}).status_code == 302  # members only
    client.force_login(PartenaireFactory())
    results = client.get(url, {"q": "guide commerce"}).json()["results"]
    assert [r["code"] for r in results] == [str(public.pk)]
    assert results[0]["label"] == f"Guide du commerce de centre-ville (n° {public.pk})"
    assert client.get(url, {"q": "g"}).json()["results"] == []


@pytest.mark.django_db
def test_materials_already_attached_stay_when_the_form_is_saved_untouched(client, equipe):
    """Saving the edit form without touching the materials keeps them."""
    rencontre = RencontreFactory(titre="Webinaire habitat")
    guide = ressource("Guide habitat")
    rencontre.materiaux.add(guide)
    client.force_login(equipe)
    page = client.get(reverse("rencontres:rencontre-update", args=[rencontre.pk])).content.decode()
    assert f"Guide habitat (n° {guide.pk})" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_choose_a_material_with_the_keyboard_only(live_server, page):
    """Keyboard only: type words of a title, arrow down, Enter: the resource joins the chosen ones;
    saving attaches it. axe is clean, and the field fits a 375 px screen."""
    from tests.factories.comptes import EquipeFactory
    from tests.helpers import axe_violations, login

    for i in range(60):
        ressource(f"Étude de cas {i}")
    guide = ressource("Guide de la vacance commerciale")
    rencontre = RencontreFactory(titre="Webinaire commerce")
    EquipeFactory(email="animation@villesaucarre.fr")
    login(page, live_server.url, "animation@villesaucarre.fr")
    page.goto(f"{live_server.url}/rencontres/{rencontre.pk}/modifier/")
    box = page.get_by_role("combobox", name=re.compile("supports et documents", re.IGNORECASE))
    box.focus()
    page.keyboard.type("vacance comm")
    page.get_by_role("option", name=re.compile("Guide de la vacance commerciale")).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chosen = page.get_by_role("checkbox", name=f"Guide de la vacance commerciale (n° {guide.pk})")
    chosen.wait_for()
    assert chosen.is_checked()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    page.wait_for_url(re.compile(rf"/rencontres/{rencontre.pk}/$"))
    assert list(rencontre.materiaux.all()) == [guide]
