"""What accueil reads from meetings and the press panorama: digest, search, queues, charts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from panorama.models import ArticlePresse, Source
from rencontres.models import Inscription, Rencontre
from reseau_acv.accueil import services
from reseau_acv.accueil.models import Frequence, Preferences
from reseau_acv.core.models import ChoixNotification, Courriel
from reseau_acv.core.notifications import follows_set
from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.villes import MissionFactory, VilleFactory
from villes.models import Ville

from .conftest import IN_WEEK, NOW, make_article, make_edition, make_rencontre

pytestmark = pytest.mark.django_db


def _digest_text(user) -> str:
    message = Courriel.objects.filter(objet_envoi=services.DIGEST_PURPOSE, destinataire=user.email).first()
    return message.texte if message else ""


def test_digest_lists_new_meetings_open_for_registration_by_role():
    """New meetings appear for those who may see them; a partner never sees a network meeting."""
    partenaire, chef = PartenaireFactory(), ChefDeProjetFactory()
    make_rencontre("Plénière régionale 2027", visibilite=Visibilite.PARTENAIRES)
    make_rencontre("Séance de travail des chefs", visibilite=Visibilite.RESEAU)
    make_rencontre("Brouillon de séance", statut=Rencontre.Statut.BROUILLON)

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    assert "Plénière régionale 2027" in _digest_text(partenaire)
    assert "Séance de travail" not in _digest_text(partenaire)
    assert "Séance de travail des chefs" in _digest_text(chef)
    assert "Brouillon" not in _digest_text(chef)


def test_digest_reports_press_mentions_of_the_members_towns_and_new_editions():
    """A lead reads the press about their mission's town and followed towns, not about others."""
    mission = MissionFactory()
    followed, other = VilleFactory(nom="Gien"), VilleFactory(nom="Dreux")
    follows_set(actor=mission.personne, model=Ville, chosen=[followed])
    make_article("Le centre-ville de ma ville renaît", villes=[mission.ville])
    make_article("Gien rénove ses quais", villes=[followed])
    make_article("Dreux ouvre une halle", villes=[other])
    make_article("Article encore à trier", villes=[mission.ville], statut=ArticlePresse.Statut.A_TRIER)
    make_edition("Panorama de novembre")

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    text = _digest_text(mission.personne)
    assert "Le centre-ville de ma ville renaît" in text
    assert "Gien rénove ses quais" in text
    assert "Dreux" not in text
    assert "encore à trier" not in text
    assert "Panorama de novembre" in text


def test_press_section_off_removes_press_and_editions():
    """Turning the press section off removes press mentions and panorama editions."""
    mission = MissionFactory()
    Preferences.objects.create(user=mission.personne, section_presse=False)
    make_article("Ma ville dans la presse", villes=[mission.ville])
    make_edition("Panorama de novembre")
    make_rencontre("Une séance")

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    text = _digest_text(mission.personne)
    assert "Une séance" in text
    assert "presse" not in text.lower().replace("panorama de presse", "")
    assert "Panorama de novembre" not in text


def test_search_finds_meetings_and_press_articles_the_member_may_see(client):
    """Search groups hold meetings and press articles, within the member's visibility."""
    partenaire = PartenaireFactory()
    make_rencontre("Atelier commerce de centre-ville", visibilite=Visibilite.PARTENAIRES)
    make_rencontre("Séance commerce du réseau", visibilite=Visibilite.RESEAU)
    make_article("Les commerces de Vierzon rouvrent", visibilite=Visibilite.PARTENAIRES)
    make_article("Commerce : article réservé à l'équipe", visibilite=Visibilite.EQUIPE)
    client.force_login(partenaire)

    response = client.get(reverse("accueil:search"), {"q": "commerces"})

    groups = {g.groupe.key: [r.titre for r in g.premiers] for g in response.context["page"].groupes}
    assert groups["rencontres"] == ["Atelier commerce de centre-ville"]
    assert groups["presse"] == ["Les commerces de Vierzon rouvrent"]


def test_staff_notice_counts_curation_queue_and_failing_sources():
    """The daily staff message lists articles to sort and failing press sources."""
    EquipeFactory()
    make_article("À trier", statut=ArticlePresse.Statut.A_TRIER)
    Source.objects.create(nom="La Nouvelle République", echecs_consecutifs=3)

    assert services.staff_notify(now=NOW) is True
    text = Courriel.objects.get(objet_envoi=services.STAFF_PURPOSE).texte
    assert "Articles de presse à trier : 1" in text
    assert "Sources de presse en échec : 1" in text


def test_animation_dashboard_shows_participation_and_press_per_town(client, equipe):
    """Participation per meeting and per town, and press mentions per town and month, are drawn."""
    from django.utils import timezone

    mission = MissionFactory(ville=VilleFactory(nom="Issoudun"))
    rencontre = make_rencontre("Visite à Issoudun", debut=timezone.now() - timezone.timedelta(days=3))
    Inscription.objects.create(rencontre=rencontre, membre=mission.personne, present=True)
    make_article("Issoudun dans la presse", villes=[mission.ville], publie_le=timezone.now())
    client.force_login(equipe)

    page = client.get(reverse("accueil:animation-dashboard")).content.decode()

    for key in ("participation-rencontres", "participation-villes", "presse-villes-mois", "contributions-villes"):
        assert f'id="{key}"' in page
    assert 'scope="row">Issoudun</th>' in page
    assert "Visite à Issoudun" in page


def test_partner_dashboard_links_the_plenary_archive(client):
    """Partners find the plenary archive year by year on their dashboard."""
    partenaire = PartenaireFactory()
    make_rencontre(
        "Rencontre régionale 2021",
        type=Rencontre.Type.PLENIERE,
        visibilite=Visibilite.PARTENAIRES,
        debut=IN_WEEK.replace(year=2021, month=1),
    )
    client.force_login(partenaire)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Archive des plénières" in page
    assert reverse("rencontres:pleniere-year", kwargs={"year": 2021}) in page


@pytest.mark.django_db
def test_members_who_turned_invitations_off_are_not_invited_to_a_new_meeting(django_capture_on_commit_callbacks):
    """Publishing a meeting invites its audience, except members whose notification choices refuse invitations."""
    from rencontres.services import rencontre_publish

    staff = EquipeFactory()
    wants, refuses = ChefDeProjetFactory(), ChefDeProjetFactory()
    ChoixNotification.objects.create(membre=refuses, type="invitation", envoi="jamais")
    rencontre = make_rencontre(statut=Rencontre.Statut.BROUILLON, publiee_le=None)
    with django_capture_on_commit_callbacks(execute=True):
        rencontre_publish(actor=staff, rencontre=rencontre)
    invited = set(Courriel.objects.filter(objet_envoi="rencontre_invitation").values_list("destinataire", flat=True))
    assert wants.email in invited
    assert refuses.email not in invited


def test_press_search_goes_through_the_index_filled_at_ingestion(client):
    """Indexed articles are found with French stemming without accents ("rehabilitation" finds
    "réhabilitation") through the GIN index rather than by reading every article."""
    from django.db import connection

    make_article("Réhabilitation des logements anciens à Dreux", visibilite=Visibilite.PARTENAIRES)

    client.force_login(PartenaireFactory())
    response = client.get(reverse("accueil:search"), {"q": "rehabilitation"})
    groups = {g.groupe.key: [r.titre for r in g.premiers] for g in response.context["page"].groupes}
    assert groups["presse"] == ["Réhabilitation des logements anciens à Dreux"]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM panorama_articlepresse "
            "WHERE recherche @@ websearch_to_tsquery('public.french_unaccent', 'rehabilitation')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "panorama_articlepresse_recherche_gin" in plan


def test_the_press_chart_names_its_months_in_full():
    """The months of the press chart read « juin 2026 », « juillet 2026 », never « jui » or « jul »."""
    from reseau_acv.accueil.sources.panorama import chart_presse_villes

    mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    labels = chart_presse_villes().series
    assert len(labels) >= 6
    assert all(label.split()[0] in mois and label.split()[1].isdigit() for label in labels)
