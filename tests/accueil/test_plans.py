"""Queries that must not walk whole tables, checked on their PostgreSQL plan over a seeded volume."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reseau_acv.accueil.scale import DOMAIN
from reseau_acv.accueil.sources.panorama import presse_villes_panel
from reseau_acv.comptes.models import User
from ressources.selectors import questions_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume():
    """The regional level at a fifth: 7,000 articles, 140 questions with their answers, analysed."""
    call_command("seed_scale", "--niveau", "regional", "--facteur", "0.2", stdout=StringIO())


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        return cursor.fetchone()[0][0]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_the_questions_list_counts_answers_for_the_page_only(volume):
    """The answers are counted by a subquery run once per question shown (20), not for every question."""
    user = User.objects.get(email=f"chef@{DOMAIN}")
    queryset = questions_list(user=user)[:20]
    with CaptureQueriesContext(connection) as queries:
        list(queryset)
    plan = _plan(queries.captured_queries[0]["sql"])
    counted = [n for n in _nodes(plan["Plan"]) if n.get("Relation Name") == "ressources_message"]
    assert counted, json.dumps(plan)[:2000]
    assert all(n["Actual Loops"] <= 20 for n in counted)
    assert not any(n["Node Type"] == "Seq Scan" for n in counted)


def test_the_leads_press_panel_reads_no_more_than_it_shows(volume):
    """The lead's « my towns in the press » panel neither sorts nor de-duplicates every kept article."""
    user = User.objects.get(email=f"chef@{DOMAIN}")
    with CaptureQueriesContext(connection) as queries:
        presse_villes_panel(user)
    sql = next(q["sql"] for q in queries.captured_queries if "panorama_articlepresse" in q["sql"])
    plan = _plan(sql)
    nodes = list(_nodes(plan["Plan"]))
    assert not any(n["Node Type"] in {"Unique", "HashAggregate"} for n in nodes), "DISTINCT over the joins"
    articles = [n for n in nodes if n.get("Relation Name") == "panorama_articlepresse"]
    assert all(n["Node Type"] != "Seq Scan" for n in articles)
    assert plan["Plan"]["Actual Rows"] <= 5


def _as_at_scale() -> None:
    """Plan as at national scale, where reading whole tables or sorting every row costs far more than
    an index (a fifth of the regional level is small enough for PostgreSQL to prefer them): the plan
    then says whether an index serves the query's filter and order."""
    with connection.cursor() as cursor:
        for method in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")


def _count_plan(queryset) -> dict:
    """The plan of the capped count a list page runs (the pagination's first query)."""
    from reseau_acv.core.pagination import CappedPaginator

    with CaptureQueriesContext(connection) as queries:
        CappedPaginator(queryset, 20).count  # noqa: B018 (the count is the query under test)
    return _plan(queries.captured_queries[0]["sql"])


def test_the_library_lists_count_from_their_index_alone(volume):
    """The resources, experience sheets and questions lists count their rows (up to the cap) from the
    list's index, which holds what ``visible_to`` filters on (read alone once vacuumed), whatever the
    member's role: no sort of every row."""
    from ressources.models import Question, Ressource, RetourExperience
    from ressources.selectors import questions_list

    _as_at_scale()
    for email in (f"partenaire@{DOMAIN}", f"equipe@{DOMAIN}"):
        user = User.objects.get(email=email)
        for queryset in (
            Ressource.objects.visible_to(user).order_by("-publie_le", "-cree_le", "pk"),
            RetourExperience.objects.visible_to(user).order_by("-publie_le", "-cree_le", "pk"),
            questions_list(user=user),
        ):
            nodes = list(_nodes(_count_plan(queryset)["Plan"]))
            tables = {Ressource._meta.db_table, RetourExperience._meta.db_table, Question._meta.db_table}
            read = [n for n in nodes if n.get("Relation Name") in tables]
            assert read, nodes
            indexes = {"ressource_ordre_idx", "retour_ordre_idx", "question_liste_idx"}
            assert all(n.get("Index Name") in indexes for n in read), [
                (n["Node Type"], n.get("Index Name"), n.get("Filter")) for n in read
            ]
            assert not any(n["Node Type"] in {"Sort", "Incremental Sort"} for n in nodes)


def test_the_moderation_queue_reads_the_proposals_only(volume):
    """The moderation queue's page reads the oldest proposals from their own index, not every resource."""
    from ressources.selectors import moderation_resources, moderation_retours

    _as_at_scale()
    for queryset in (moderation_resources(), moderation_retours()):
        with CaptureQueriesContext(connection) as queries:
            list(queryset[:10])
        nodes = list(_nodes(_plan(queries.captured_queries[0]["sql"])["Plan"]))
        assert any(n.get("Index Name", "").endswith("_a_moderer_idx") for n in nodes), [
            (n["Node Type"], n.get("Index Name"), n.get("Relation Name")) for n in nodes
        ]
        assert not any(n["Node Type"] in {"Sort", "Incremental Sort"} for n in nodes)
