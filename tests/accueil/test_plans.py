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
