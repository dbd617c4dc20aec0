from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencontres.models import Inscription, Rencontre
from reseau_acv.core.visibility import Visibilite
from ressources import services as ressources_services
from ressources.demo import PDF_DEMO
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.rencontres import PointOrdreDuJourFactory, RencontreFactory
from tests.helpers import axe_violations, login

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lead_registers_and_withdraws_and_a_partner_downloads_a_plenary_material(live_server, page):
    """A lead registers, sees the video link, withdraws; a partner opens the 2021 plenary and downloads its slides."""
    lead = ChefDeProjetFactory(email="cheffe@blois.fr", first_name="Lina")
    PartenaireFactory(email="charge@region-centre.fr", first_name="Paul")
    staff = EquipeFactory()
    seance = RencontreFactory(
        titre="Séance des chef·fes de projet : OPAH-RU", visibilite=Visibilite.RESEAU, capacite=10
    )
    debut = datetime(2021, 1, 28, 9, 30, tzinfo=PARIS)
    pleniere = RencontreFactory(
        type=Rencontre.Type.PLENIERE,
        titre="Deuxième rencontre régionale du réseau",
        visibilite=Visibilite.PARTENAIRES,
        debut=debut,
        fin=debut + timedelta(hours=3),
        statut=Rencontre.Statut.TENUE,
        compte_rendu="Le plan de relance a été présenté aux partenaires.",
    )
    PointOrdreDuJourFactory(rencontre=pleniere, titre="Le plan de relance au service des centres-villes")
    diaporama = ressources_services.ressource_create(
        actor=staff,
        data={"titre": "Diaporama de la rencontre régionale 2021", "type": "presentation", "visibilite": "partenaires"},
        fichier=SimpleUploadedFile("diaporama-2021.pdf", PDF_DEMO, content_type="application/pdf"),
    )
    pleniere.materiaux.add(diaporama)

    # A lead registers, sees the video link, then withdraws.
    login(page, live_server.url, "cheffe@blois.fr")
    page.goto(live_server.url + "/rencontres/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Séance des chef·fes de projet : OPAH-RU").click()
    page.wait_for_url(f"**/rencontres/{seance.pk}/")
    assert page.get_by_text("Le lien est communiqué aux personnes inscrites.").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="M'inscrire").click()
    link = page.get_by_role("link", name="Rejoindre la visioconférence")
    link.wait_for()
    assert link.get_attribute("href") == seance.lien_visio
    assert axe_violations(page) == []
    page.get_by_role("button", name="Me désinscrire").click()
    page.get_by_role("button", name="M'inscrire").wait_for()
    assert page.get_by_role("link", name="Rejoindre la visioconférence").count() == 0
    assert Inscription.objects.get(membre=lead).statut == Inscription.Statut.DESINSCRIT

    # A partner browses the plenary archive and downloads the slides.
    page.context.clear_cookies()
    login(page, live_server.url, "charge@region-centre.fr")
    page.goto(live_server.url + "/rencontres/plenieres/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Plénière 2021").click()
    page.wait_for_url("**/rencontres/plenieres/2021/")
    assert page.get_by_text("Le plan de relance au service des centres-villes").is_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger Diaporama de la rencontre régionale 2021").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.get_by_role("link", name="Séance des chef·fes de projet : OPAH-RU").count() == 0
