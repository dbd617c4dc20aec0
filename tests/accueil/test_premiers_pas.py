"""First steps: a newly invited member's two questions, then « Pour bien démarrer » on the dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reseau_acv.accueil.models import Frequence, Preferences
from reseau_acv.comptes.models import User
from reseau_acv.core.models import Suivi, Theme
from reseau_acv.core.visibility import Visibilite
from tests.comptes.test_invitation import _invite, _link
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.panorama import ArticleFactory
from tests.factories.rencontres import RencontreFactory
from tests.factories.ressources import RessourceFactory, RetourExperienceFactory
from tests.factories.villes import MissionFactory, VilleFactory

pytestmark = pytest.mark.django_db

URL = "/bienvenue/"


def _theme(slug):
    return Theme.objects.get(slug=slug)


def _panel(page: str, key: str) -> str:
    assert f'id="panel-{key}"' in page
    return page.split(f'id="panel-{key}"', 1)[1].split("</section>", 1)[0]


def _newcomer(**extra):
    """A lead who has just accepted their invitation, with a mission in a town of 12,000 inhabitants."""
    user = ChefDeProjetFactory(**{"premiers_pas_le": None, **extra})
    ville = VilleFactory(nom="Issoudun", population=12000)
    MissionFactory(personne=user, ville=ville)
    return user, ville


def test_anonymous_visitors_are_asked_to_sign_in(client):
    """The first steps are the member's own: anonymous visitors go to the sign-in page."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_invited_member_lands_on_the_two_questions_with_their_towns_prefilled(
    client, django_capture_on_commit_callbacks
):
    """Accepting an invitation signs the member in on the two questions, their mission town already chosen."""
    _invite(client, django_capture_on_commit_callbacks)
    response = client.post(
        _link(mail.outbox[0]),
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "password1": "Loire-et-Sologne-2026",
            "password2": "Loire-et-Sologne-2026",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == URL
    page = response.content.decode()
    assert "Bienvenue, Inès" in page
    assert "1. Ce que je suis" in page
    assert "2. Mes courriels" in page
    assert 'checked> <label for="id_villes_' in page  # Gien, from the mission, already a checked box
    assert "Gien" in page
    assert User.objects.get(email="nouvelle.cheffe@gien.fr").premiers_pas_le is None


def test_answering_follows_towns_and_themes_and_sets_the_digest(client):
    """Answering stores the towns and themes as follows (which the digest reads), and the frequency."""
    user, ville = _newcomer()
    other = VilleFactory(nom="Vierzon")
    client.force_login(user)
    response = client.post(
        URL,
        {
            "action": "enregistrer",
            "villes": [ville.code_insee, "Vierzon"],
            "themes": [_theme("commerce").pk, _theme("habitat").pk],
            "frequence": Frequence.QUOTIDIENNE,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accueil:dashboard")
    preferences = Preferences.objects.get(user=user)
    assert preferences.frequence == Frequence.QUOTIDIENNE
    followed = {(s.cible_type.model, s.cible_id) for s in Suivi.objects.filter(membre=user)}
    assert followed == {
        ("theme", _theme("commerce").pk),
        ("theme", _theme("habitat").pk),
        ("ville", ville.pk),
        ("ville", other.pk),
    }
    user.refresh_from_db()
    assert user.premiers_pas_le is not None


def test_changing_the_answers_later_stops_following_what_was_unticked(client):
    """Coming back to the questions and unticking a theme stops following it."""
    user, ville = _newcomer()
    client.force_login(user)
    data = {"action": "enregistrer", "villes": [ville.code_insee], "frequence": Frequence.HEBDOMADAIRE}
    client.post(URL, {**data, "themes": [_theme("commerce").pk, _theme("habitat").pk]})
    shown = client.get(URL).context["form"]["themes"].value()
    assert {int(pk) if not isinstance(pk, Theme) else pk.pk for pk in shown} == {
        _theme("commerce").pk,
        _theme("habitat").pk,
    }
    client.post(URL, {**data, "themes": [_theme("commerce").pk]})
    themes = Suivi.objects.filter(membre=user, cible_type__model="theme").values_list("cible_id", flat=True)
    assert list(themes) == [_theme("commerce").pk]


def test_an_unknown_town_is_refused_with_a_clear_message(client):
    """A town name that matches nothing is refused in French, and nothing is saved."""
    user, _ville = _newcomer()
    client.force_login(user)
    response = client.post(URL, {"action": "enregistrer", "villes": ["Atlantide"], "frequence": Frequence.HEBDOMADAIRE})
    assert response.status_code == 200
    assert "« Atlantide » : aucune ville ni commune de ce nom" in response.content.decode()
    user.refresh_from_db()
    assert user.premiers_pas_le is None


def test_later_skips_the_questions_and_keeps_a_way_back(client):
    """« Plus tard » is not asked again; the news panel invites to choose themes."""
    user, _ville = _newcomer()
    client.force_login(user)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Deux questions pour bien démarrer" in page
    client.post(URL, {"action": "plus-tard"})
    user.refresh_from_db()
    assert user.premiers_pas_le is not None
    assert not Preferences.objects.filter(user=user).exists()
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Deux questions pour bien démarrer" not in page
    assert "Choisissez vos thèmes" in page


def test_the_dashboard_shows_how_to_start_one_click_from_each_thing(client):
    """« Pour bien démarrer »: a sheet on my theme from a town of my size first, the next meeting open to me, my town's press."""
    user, ville = _newcomer()
    commerce = _theme("commerce")
    small = RetourExperienceFactory(titre="Boutiques à l'essai à Gien", ville=VilleFactory(population=14000))
    small.themes.set([commerce])
    big = RetourExperienceFactory(titre="Halles de Tours", ville=VilleFactory(population=136000))
    big.themes.set([commerce])
    RetourExperienceFactory(titre="Hors de mes thèmes", ville=VilleFactory(population=12000)).themes.set(
        [_theme("mobilite")]
    )
    RencontreFactory(
        titre="Réunion de l'équipe seule", visibilite=Visibilite.EQUIPE, debut=timezone.now() + timedelta(days=2)
    )
    rencontre = RencontreFactory(titre="Séance des chef·fes de projet de décembre")
    article = ArticleFactory(titre="Issoudun rouvre son marché couvert", villes=[ville])
    client.force_login(user)
    client.post(
        URL,
        {"action": "enregistrer", "villes": [ville.code_insee], "themes": [commerce.pk], "frequence": "hebdomadaire"},
    )
    panel = _panel(client.get(reverse("accueil:dashboard")).content.decode(), "demarrer")
    assert "Pour bien démarrer" in panel
    assert panel.index("Boutiques à l&#x27;essai à Gien") < panel.index("Halles de Tours")
    assert "une ville de taille voisine" in panel
    assert "Hors de mes thèmes" not in panel
    assert f'href="{small.get_absolute_url()}"' in panel
    assert "Réunion de l&#x27;équipe seule" not in panel
    assert f'href="{rencontre.get_absolute_url()}"' in panel
    assert "Issoudun rouvre son marché couvert" in panel
    assert f'href="{article.get_absolute_url()}"' in panel
    assert f'href="{ville.get_absolute_url()}"' in panel


def test_how_to_start_never_shows_what_the_member_may_not_see(client):
    """A staff-only sheet on my theme and a press article kept for staff stay out of the panel."""
    user, ville = _newcomer()
    commerce = _theme("commerce")
    RetourExperienceFactory(titre="Fiche interne", visibilite=Visibilite.EQUIPE).themes.set([commerce])
    ArticleFactory(titre="Article réservé à l'équipe", villes=[ville], visibilite=Visibilite.EQUIPE)
    client.force_login(user)
    client.post(
        URL, {"action": "enregistrer", "villes": [ville.code_insee], "themes": [commerce.pk], "frequence": "aucune"}
    )
    panel = _panel(client.get(reverse("accueil:dashboard")).content.decode(), "demarrer")
    assert "Fiche interne" not in panel
    assert "Article réservé" not in panel


def test_how_to_start_goes_away_after_a_month(client):
    """A member whose first steps are more than 30 days old no longer sees the panel."""
    user, _ville = _newcomer()
    user.premiers_pas_le = timezone.now() - timedelta(days=31)
    user.save()
    client.force_login(user)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert 'id="panel-demarrer"' not in page
    assert 'id="panel-premiers-pas"' not in page


def test_news_without_a_theme_are_recent_items_not_2020_ones(client):
    """With no theme chosen, « Nouveautés » shows what is recent, never items of 2020, and asks to choose themes."""
    user, _ville = _newcomer(premiers_pas_le=timezone.now())
    old = RessourceFactory(titre="Guide de 2020", publie_le=timezone.now().replace(year=2020))
    recent = RessourceFactory(titre="Guide de la semaine", publie_le=timezone.now() - timedelta(days=3))
    client.force_login(user)
    panel = _panel(client.get(reverse("accueil:dashboard")).content.decode(), "ressources")
    assert recent.titre in panel
    assert old.titre not in panel
    assert "Nouveautés du réseau" in panel
    assert "sur mes thèmes" not in panel
    assert "Choisissez vos thèmes" in panel


def test_news_on_my_themes_keep_to_my_themes(client):
    """With a theme followed, « Nouveautés du réseau sur mes thèmes » lists recent items of that theme only."""
    user, _ville = _newcomer(premiers_pas_le=timezone.now())
    client.force_login(user)
    client.post(URL, {"action": "enregistrer", "themes": [_theme("habitat").pk], "frequence": "hebdomadaire"})
    RessourceFactory(titre="Guide habitat récent").themes.set([_theme("habitat")])
    RessourceFactory(titre="Guide mobilité récent").themes.set([_theme("mobilite")])
    panel = _panel(client.get(reverse("accueil:dashboard")).content.decode(), "ressources")
    assert "Nouveautés du réseau sur mes thèmes" in panel
    assert "Guide habitat récent" in panel
    assert "Guide mobilité récent" not in panel


def test_partners_answer_the_same_two_questions(client):
    """A partner has the first steps too (no mission: no town pre-filled)."""
    partner = PartenaireFactory(premiers_pas_le=None)
    client.force_login(partner)
    assert "Deux questions pour bien démarrer" in client.get(reverse("accueil:dashboard")).content.decode()
    assert client.get(URL).status_code == 200
    client.post(URL, {"action": "enregistrer", "themes": [_theme("financement").pk], "frequence": "aucune"})
    assert Preferences.objects.get(user=partner).frequence == Frequence.AUCUNE


def test_the_dashboard_runs_the_same_queries_for_few_and_many_items_to_start_with(client):
    """« Pour bien démarrer » keeps a constant number of queries whatever the library's size."""
    user, ville = _newcomer()
    commerce = _theme("commerce")
    client.force_login(user)
    client.post(
        URL,
        {"action": "enregistrer", "villes": [ville.code_insee], "themes": [commerce.pk], "frequence": "hebdomadaire"},
    )

    def add(n):
        for _ in range(n):
            RetourExperienceFactory().themes.set([commerce])
            RencontreFactory()
            ArticleFactory(villes=[ville])

    add(1)
    client.get(reverse("accueil:dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accueil:dashboard"))
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accueil:dashboard"))
    assert len(many) == len(few)


def test_a_partner_is_not_told_there_is_no_experience_sheet_yet(client):
    """« Pour bien démarrer » of a partner, who sees no sheet (kept for the leads), leaves out the sheets' block;
    a lead with nothing on their themes is still pointed to all the sheets."""
    partner = PartenaireFactory(premiers_pas_le=timezone.now())
    lead = ChefDeProjetFactory(premiers_pas_le=timezone.now())
    for member, shown in ((partner, False), (lead, True)):
        client.force_login(member)
        page = client.get("/tableau-de-bord/").content.decode()
        assert "Pour bien démarrer" in page
        assert ("Pas encore de retour d'expérience sur ces thèmes." in page) is shown
