"""Every statement of a search reads an index, checked on its PostgreSQL plan over a seeded volume.

The volume (the regional level at a fifth: 7,000 articles, 700 resources, 140 questions…) is
seeded once for the module and committed, as in production — an index built in the transaction
that loaded its table may not serve that same transaction — and removed after the module."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q

from panorama.models import ArticlePresse
from panorama.recherche import ARTICLE
from reseau_acv.accueil.scale import DOMAIN, reset
from reseau_acv.accueil.search import GROUPES
from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from reseau_acv.core.recherche import moteur, parse_text, search
from reseau_acv.core.recherche.moteur import plan_nodes, plans
from reseau_acv.core.themes import themes_seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def volume(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not Theme.objects.exists():  # an earlier module may have flushed the data migrations' rows
            themes_seed(Theme)
        call_command("seed_scale", "--niveau", "regional", "--facteur", "0.2", stdout=StringIO())
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        yield
        with transaction.atomic():
            reset()  # the platform's tables (contenttypes, permissions and themes stay)


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


def test_when_enough_rows_hold_every_word_the_rows_holding_only_some_are_not_read(volume):
    """A query whose every word enough rows hold (more than a page ranks) ranks them alone: the rows
    holding only some of its words — a bitmap of most of a large table for a common word — are not
    looked for, and the count is of the rows holding every word."""
    from django.test.utils import CaptureQueriesContext

    from reseau_acv.core.recherche.moteur import _pg_compile, _pg_first

    staff = User.objects.get(email=f"equipe@{DOMAIN}")
    queryset = ArticlePresse.objects.visible_to(staff)
    requete = parse_text("commerces logements")
    compiled = _pg_compile(requete, connection.alias)
    every = set(_pg_first(queryset, ARTICLE, compiled.every, ""))
    assert 25 <= len(every) <= moteur.COUNT_LIMIT  # the case: enough hold both words, not a broad query
    assert len(_pg_first(queryset, ARTICLE, compiled.any, "")) > len(every)  # and more hold only one
    with CaptureQueriesContext(connection) as queries:
        found = search(queryset, ARTICLE, requete, candidates=25)
    assert not [q for q in queries.captured_queries if compiled.any in q["sql"].replace("''", "'")]
    assert found.total == len(every)
    assert set(found.ids) == every
