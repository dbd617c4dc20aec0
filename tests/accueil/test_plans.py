"""Queries that must not walk whole tables, checked on their PostgreSQL plan over a seeded volume."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from panorama.models import ArticlePresse
from panorama.recherche import ARTICLE
from reseau_acv.accueil.scale import DOMAIN
from reseau_acv.accueil.search import GROUPES
from reseau_acv.accueil.sources.panorama import presse_villes_panel
from reseau_acv.comptes.models import User
from reseau_acv.core.recherche import moteur, parse_text, search
from reseau_acv.core.recherche.moteur import plan_nodes, plans
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


# --- search ---------------------------------------------------------------------------------------

CONTENT_TABLES = {g.index.table for g in GROUPES}


def _search_plans(user, text: str, *, candidates: int) -> list[tuple[str, str, dict]]:
    """(kind, statement, plan) of every statement each kind's search runs for ``user``."""
    found = []
    for groupe in GROUPES:
        for sql, plan in plans(groupe.visible(user), groupe.index, parse_text(text), candidates=candidates):
            found.append((groupe.key, sql, plan))
    return found


@pytest.mark.parametrize("role", ["anonyme", "chef", "equipe"])
@pytest.mark.parametrize("text", ["commerces", "vacance commerciale", "Vierzon", "réhabilitation logements vacants"])
def test_every_search_statement_reads_an_index_and_a_broad_count_stops_early(volume, monkeypatch, role, text):
    """Each kind's search, for each role, reads its rows through an index — the GIN index of the
    vectors, or a btree giving the visible rows or the date order — never a whole table; the first
    statement stops after ``COUNT_LIMIT + 1`` matches (« plus de 1 000 »). The limit is lowered so
    that this small volume takes the broad paths too."""
    monkeypatch.setattr(moteur, "COUNT_LIMIT", 40)
    user = AnonymousUser() if role == "anonyme" else User.objects.get(email=f"{role}@{DOMAIN}")
    found = _search_plans(user, text, candidates=25)
    assert found
    gin = False
    for key, sql, plan in found:
        nodes = list(plan_nodes(plan["Plan"]))
        scans = [n for n in nodes if n.get("Relation Name") in CONTENT_TABLES]
        assert scans, (key, sql[:300])
        assert not [n for n in scans if n["Node Type"] == "Seq Scan"], (key, sql[:300], json.dumps(plan)[:3000])
        gin = gin or any(n.get("Index Name", "").endswith("_gin") for n in nodes)
        if "LIMIT 41" in sql:  # the first matches: bounded
            assert plan["Plan"]["Node Type"] == "Limit"
            assert plan["Plan"]["Actual Rows"] <= 41
    assert gin, "no kind's search went through a GIN index"


def test_a_broad_query_says_more_than_the_limit_and_ranks_the_most_recent(volume, monkeypatch):
    """With more matches than the limit, the count says « more than » and the ranked rows are the
    most recent matches, found without reading every match."""
    monkeypatch.setattr(moteur, "COUNT_LIMIT", 40)
    staff = User.objects.get(email=f"equipe@{DOMAIN}")
    queryset = ArticlePresse.objects.visible_to(staff)
    found = search(queryset, ARTICLE, parse_text("halle "), candidates=25)
    assert found.plus_de
    assert found.total == 40
    matching = ArticlePresse.objects.filter(Q(titre__icontains="halle") | Q(resume__icontains="halle"))
    assert matching.count() > 40
    assert set(found.ids) <= set(matching.values_list("pk", flat=True))
    assert len(found.ids) >= 20
