"""Pages of accueil: preferences, search, dashboard, animation dashboard and its exports."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reseau_acv.accueil.models import EnvoiDigest, Frequence, Preferences
from reseau_acv.core.models import Theme
from reseau_acv.core.selectors import followed_ids
from reseau_acv.core.visibility import Visibilite
from ressources.models import Statut
from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.villes import MissionFactory, VilleFactory
from villes.models import Ville

from .conftest import NOW, make_article, make_question, make_ressource, make_retour

pytestmark = pytest.mark.django_db


# --- Preferences ----------------------------------------------------------------------------------


def test_preferences_page_asks_anonymous_visitors_to_sign_in(client):
    """The preferences page is the member's own: anonymous visitors are sent to sign in."""
    response = client.get(reverse("accueil:preferences-edit"))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES[1:])
def test_member_saves_preferences(client_for, role, themes):
    """Every member chooses frequency, sections, and the towns and themes they follow."""
    client = client_for(role)
    page = client.get(reverse("accueil:preferences-edit"))
    assert page.status_code == 200
    assert page.context["form"]["frequence"].value() == Frequence.HEBDOMADAIRE
    assert "<select" not in page.content.decode()
    assert "data-ville-picker" in page.content.decode()
    ville = VilleFactory()
    response = client.post(
        reverse("accueil:preferences-edit"),
        {
            "frequence": Frequence.QUOTIDIENNE,
            "section_rencontres": "on",
            "section_presse": "on",
            "villes": [ville.code_insee],
            "themes": [themes["habitat"].pk],
        },
    )
    assert response.status_code == 302
    preferences = Preferences.objects.get()
    assert preferences.frequence == Frequence.QUOTIDIENNE
    assert (preferences.section_rencontres, preferences.section_ressources, preferences.section_presse) == (
        True,
        False,
        True,
    )
    user = preferences.user
    assert list(Ville.objects.filter(pk__in=followed_ids(user=user, model=Ville))) == [ville]
    assert list(Theme.objects.filter(pk__in=followed_ids(user=user, model=Theme))) == [themes["habitat"]]


def test_preferences_service_refuses_another_member():
    """Nobody changes another member's preferences."""
    from django.core.exceptions import PermissionDenied

    from reseau_acv.accueil.services import preferences_update

    chef, other = ChefDeProjetFactory(), EquipeFactory()
    with pytest.raises(PermissionDenied):
        preferences_update(actor=other, user=chef, frequence="aucune", sections={}, villes=[], themes=[])


# --- Search ---------------------------------------------------------------------------------------


def _search(client, q):
    return client.get(reverse("accueil:search"), {"q": q})


def test_search_groups_results_by_kind(client, chef):
    """One query finds towns, resources, experience sheets and questions, grouped by kind."""
    ville = VilleFactory(nom="Vierzon", presentation="Rénovation des logements du centre ancien.")
    make_ressource("Guide du logement vacant")
    make_retour("Remettre des logements sur le marché", ville=ville)
    make_question("Quelle aide pour les logements vacants ?")
    client.force_login(chef)

    response = _search(client, "logement")

    groups = {g.groupe.key: [r.titre for r in g.premiers] for g in response.context["page"].groupes}
    assert groups["villes"] == ["Vierzon"]
    assert groups["ressources"] == ["Guide du logement vacant"]
    assert groups["retours"] == ["Remettre des logements sur le marché"]
    assert groups["questions"] == ["Quelle aide pour les logements vacants ?"]


def test_search_ranks_the_title_first(client, chef):
    """In a group, a title match comes before a match in the text."""
    make_ressource("Étude commerce", corps="La vacance commerciale et le logement.")
    make_ressource("Logement : le guide")
    client.force_login(chef)
    results = {g.groupe.key: g.premiers for g in _search(client, "logement").context["page"].groupes}["ressources"]
    assert [r.titre for r in results] == ["Logement : le guide", "Étude commerce"]


def test_search_uses_french_stemming_without_accents(client, chef):
    """ "rehabilitation des logements" finds "Réhabiliter le logement" and accents do not matter."""
    make_ressource("Réhabilitation du logement ancien")
    VilleFactory(nom="Châteauroux")
    client.force_login(chef)

    groups = {g.groupe.key: g.premiers for g in _search(client, "rehabilitations logements").context["page"].groupes}
    assert [r.titre for r in groups["ressources"]] == ["Réhabilitation du logement ancien"]
    villes = {g.groupe.key: g.premiers for g in _search(client, "chateauroux").context["page"].groupes}["villes"]
    assert [r.titre for r in villes] == ["Châteauroux"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", ["Public"]),
        ("partenaire", ["Partenaires", "Public"]),
        ("chef_de_projet", ["Partenaires", "Public", "Réseau"]),
        ("equipe", ["Brouillon", "Partenaires", "Public", "Réseau", "Équipe"]),
    ],
)
def test_search_shows_each_role_only_what_it_may_see(client_for, role, expected):
    """Every result is visible to the person searching, and nothing else."""
    for titre, level in [
        ("Public", Visibilite.PUBLIC),
        ("Partenaires", Visibilite.PARTENAIRES),
        ("Réseau", Visibilite.RESEAU),
        ("Équipe", Visibilite.EQUIPE),
    ]:
        make_ressource(titre, visibilite=level, resume="Fiche opah")
    make_ressource("Brouillon", visibilite=Visibilite.PUBLIC, statut=Statut.BROUILLON, resume="Fiche opah")
    client = client_for(role)
    response = client.get(reverse("accueil:search"), {"q": "opah", "type": "ressources"})
    assert sorted(r.titre for r in response.context["resultats"]) == expected
    assert response.context["liste"].resultats.total == len(expected)


def test_search_runs_a_fixed_number_of_queries(client, chef):
    """The search page costs the same number of queries for 1 or many matches."""
    client.force_login(chef)
    make_ressource("Guide opah 0")
    make_question("Question opah 0")
    VilleFactory(nom="Opah-sur-Loire 0")
    _search(client, "opah")  # the thesaurus is read once, then cached
    with CaptureQueriesContext(connection) as one:
        _search(client, "opah")
    for n in range(1, 8):
        make_ressource(f"Guide opah {n}")
        make_question(f"Question opah {n}")
        VilleFactory(nom=f"Opah-sur-Loire {n}")
    with CaptureQueriesContext(connection) as many:
        response = _search(client, "opah")
    assert response.context["page"].total > 10
    assert len(many) == len(one)


def test_short_query_asks_for_more(client):
    """A one-letter query returns no group and says why."""
    response = _search(client, "a")
    assert response.context["page"].groupes == []
    assert "au moins deux caractères" in response.content.decode()


# --- Dashboard ------------------------------------------------------------------------------------


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accueil:dashboard"))
    assert response.status_code == 200
    return len(queries)


def _grow(user, n: int) -> None:
    for _i in range(n):
        make_ressource(visibilite=Visibilite.PARTENAIRES)
        make_ressource("À modérer", statut=Statut.PROPOSE)
        ville = MissionFactory(personne=user).ville if user.is_chef_de_projet else VilleFactory()
        make_article(villes=[ville])


# Session and user (2), then each panel's fixed reads: towns, e-mail preferences, next meetings,
# press (with 3 prefetches), and by role the network news (lead: + followed themes) and the press
# of the lead's towns (+ prefetch), the plenary archive (partner), or the staff queues (6 counts).
# A new panel changes these numbers, on purpose.
DASHBOARD_QUERIES = {"partenaire": 14, "chef_de_projet": 17, "equipe": 20}


@pytest.mark.parametrize("role", ROLES[1:])
def test_dashboard_queries_stay_constant_as_data_grows(client, user_for_role, role):
    """Each role's dashboard runs the same number of queries with 1 or 8 items per panel."""
    user = user_for_role(role)
    client.force_login(user)
    _grow(user, 1)
    one = _dashboard_queries(client)
    _grow(user, 7)
    assert _dashboard_queries(client) == one == DASHBOARD_QUERIES[role]


def test_dashboard_panels_by_role(client):
    """Leads see network news, partners what is open to them, staff the queues."""
    chef, partenaire, equipe = ChefDeProjetFactory(), PartenaireFactory(), EquipeFactory()
    make_ressource("Guide réseau", visibilite=Visibilite.RESEAU)
    make_ressource("Guide partenaires", visibilite=Visibilite.PARTENAIRES)
    make_ressource("En attente", statut=Statut.PROPOSE)

    client.force_login(chef)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Nouveautés du réseau" in page
    assert "Nouveautés du réseau sur mes thèmes" not in page  # no theme chosen yet
    assert "Guide réseau" in page
    assert "Mes villes dans la presse" in page
    client.force_login(partenaire)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Ressources ouvertes aux partenaires" in page
    assert "Guide partenaires" in page
    assert "Guide réseau" not in page
    assert "À traiter" not in page
    client.force_login(equipe)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    assert "Contributions en attente de modération" in page
    assert "Animation du réseau" in page


# --- Animation dashboard --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("anonyme", 302), ("partenaire", 404), ("chef_de_projet", 404), ("equipe", 200)]
)
@pytest.mark.parametrize("url", ["accueil:animation-dashboard", "csv"])
def test_animation_dashboard_is_for_staff_only(client_for, role, status, url):
    """Staff open the animation dashboard and its exports; for others it does not exist."""
    path = reverse("accueil:animation-export", kwargs={"key": "membres-actifs"}) if url == "csv" else reverse(url)
    assert client_for(role).get(path).status_code == status


def test_animation_dashboard_draws_charts_with_their_tables(client, equipe):
    """Each figure is an SVG drawn by the app, with its data table and CSV link; no tracker."""
    PartenaireFactory(last_login=NOW)
    Preferences.objects.create(user=ChefDeProjetFactory(), frequence=Frequence.QUOTIDIENNE)
    make_retour("Un retour", ville=VilleFactory(nom="Gien"))
    client.force_login(equipe)
    page = client.get(reverse("accueil:animation-dashboard")).content.decode()
    assert page.count("<svg") >= 3
    assert "<table" in page
    assert 'scope="row">Gien</th>' in page
    assert "membres-actifs.csv" in page
    # No tracker and no chart script: the one script is the header menu's own (static/js/nav.js).
    assert re.findall(r"<script[^>]*>", page) == ['<script defer src="/static/js/nav.js">']


def test_animation_export_is_a_csv_of_the_chart(client, equipe):
    """The CSV export holds the same figures as the chart's table."""
    ChefDeProjetFactory()
    Preferences.objects.create(user=PartenaireFactory(), frequence=Frequence.AUCUNE)
    EnvoiDigest.objects.create(user=equipe, periode="S2026-W47", frequence="hebdomadaire", debut=NOW, fin=NOW)
    client.force_login(equipe)
    response = client.get(reverse("accueil:animation-export", kwargs={"key": "portee-resume"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Fréquence;Abonnés;Ont reçu un résumé (30 jours)"
    assert "Jamais;1;0" in lines
    assert "Chaque semaine;2;0" in lines


def test_unknown_chart_export_is_not_found(client, equipe):
    """An export that does not exist answers 404."""
    client.force_login(equipe)
    assert client.get(reverse("accueil:animation-export", kwargs={"key": "inconnu"})).status_code == 404


def test_the_team_dashboard_leads_to_every_staff_tool(client, equipe):
    """Staff reach the outbox, the data requests, the invitations, the animation figures and the thesaurus from their dashboard."""
    client.force_login(equipe)
    page = client.get(reverse("accueil:dashboard")).content.decode()
    for url in [
        "/animation/courriels/",
        "/animation/donnees/",
        "/annuaire/invitations/",
        "/animation/",
        "/recherche/thesaurus/",
    ]:
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200


def test_the_emails_panel_leads_to_both_email_settings(client):
    """« Mes courriels » on the dashboard leads to the digest settings and to the per-kind notification choices."""
    client.force_login(ChefDeProjetFactory())
    page = client.get(reverse("accueil:dashboard")).content.decode()
    panel = page.split('id="panel-courriels"', 1)[1].split("</section>", 1)[0]
    assert 'href="/mon-compte/courriels/"' in panel
    assert 'href="/mon-compte/notifications/"' in panel
