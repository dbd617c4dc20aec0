import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from rencontres.models import Rencontre
from reseau_acv.core.models import Theme
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut
from tests.factories.comptes import OrganisationFactory
from tests.factories.rencontres import InscriptionFactory, PointOrdreDuJourFactory, RencontreFactory
from tests.factories.villes import VilleFactory

# Pinned query counts (session and user included for signed-in members).
# Agenda: + the count of the pagination; anonymous: + whether members-only meetings exist.
AGENDA_QUERIES = {"anonyme": 5, "chef_de_projet": 6}
DETAIL_QUERIES = {"chef_de_projet": 7, "equipe": 8}  # with « do I follow it? »
PLENIERE_QUERIES = 7


def some_themes(n: int) -> list[Theme]:
    return [
        Theme.objects.get_or_create(
            slug=f"theme-{i}", defaults={"nom": f"Thème {i}", "nom_court": f"T{i}", "famille": "axe"}
        )[0]
        for i in range(n)
    ]


def make_meetings(n: int) -> list[Rencontre]:
    themes = some_themes(3)
    rencontres = []
    for i in range(n):
        rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC, ville=VilleFactory(), themes=themes[: 1 + i % 3])
        InscriptionFactory(rencontre=rencontre)
        rencontres.append(rencontre)
    return rencontres


def fill_meeting(rencontre: Rencontre, n: int) -> None:
    """n registrations (from n organisations), n agenda items with themes, n materials."""
    themes = some_themes(4)
    for i in range(n):
        InscriptionFactory(rencontre=rencontre, present=True, membre__organisation=OrganisationFactory())
        PointOrdreDuJourFactory(rencontre=rencontre, theme=themes[i % len(themes)])
        titre = f"Support {rencontre.pk} {i}"
        rencontre.materiaux.add(
            Ressource.objects.create(titre=titre, slug=slugify(titre), visibilite="public", statut=Statut.PUBLIE)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonyme", "chef_de_projet"])
@pytest.mark.parametrize("n", [1, 8])
def test_agenda_runs_a_constant_number_of_queries(client_for, django_assert_num_queries, role, n):
    """The agenda runs the same number of SQL queries for 1 or 8 meetings with towns, themes and registrations."""
    make_meetings(n)
    client = client_for(role)
    with django_assert_num_queries(AGENDA_QUERIES[role]):
        response = client.get(reverse("rencontres:rencontre-list"))
    assert response.content.decode().count('class="card rencontre-item') == n


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["chef_de_projet", "equipe"])
@pytest.mark.parametrize("n", [1, 8])
def test_meeting_page_runs_a_constant_number_of_queries(client_for, django_assert_num_queries, role, n):
    """The meeting page runs the same number of queries for 1 or 8 registrations, agenda items and materials."""
    rencontre = RencontreFactory(visibilite=Visibilite.PUBLIC, ville=VilleFactory(), themes=some_themes(2))
    fill_meeting(rencontre, n)
    client = client_for(role)
    with django_assert_num_queries(DETAIL_QUERIES[role]):
        response = client.get(rencontre.get_absolute_url())
    page = response.content.decode()
    assert page.count(f">Support {rencontre.pk} ") == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
def test_plenary_archive_runs_a_constant_number_of_queries(client_for, django_assert_num_queries, n):
    """A year of the plenary archive runs the same number of queries for 1 or 5 plenaries full of content."""
    debut = timezone.make_aware(timezone.datetime(2021, 1, 10, 9, 30))
    for i in range(n):
        start = debut + timedelta(days=i)
        pleniere = RencontreFactory(
            type=Rencontre.Type.PLENIERE, visibilite=Visibilite.PARTENAIRES, debut=start, fin=start + timedelta(hours=3)
        )
        fill_meeting(pleniere, 3)
    client = client_for("partenaire")
    with django_assert_num_queries(PLENIERE_QUERIES):
        response = client.get(reverse("rencontres:pleniere-year", args=[2021]))
    assert response.content.decode().count("<article") == n


@pytest.mark.django_db
def test_agenda_counts_the_registrations_of_the_page_only(client):
    """The agenda counts registrations for the 20 meetings it shows, not for every coming meeting first."""
    for rencontre in RencontreFactory.create_batch(25, visibilite=Visibilite.PUBLIC):
        InscriptionFactory.create_batch(2, rencontre=rencontre)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("rencontres:rencontre-list")).status_code == 200
    sql = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "rencontres_rencontre"."id"'))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    nodes, todo = [], [plan["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    counted = [n for n in nodes if n.get("Relation Name") == "rencontres_inscription"]
    assert counted, json.dumps(plan)[:2000]
    # Per meeting shown, its own registrations (2): never the 50 of every meeting in one pass.
    assert all(n["Actual Loops"] <= 20 and n["Actual Rows"] <= 2 for n in counted), json.dumps(plan)[:2000]
