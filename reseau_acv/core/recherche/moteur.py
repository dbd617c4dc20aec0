"""The search itself: a parsed query run against one model's index, on PostgreSQL or SQLite.

Both backends follow the same plan:

1. find the candidates that hold at least one concept of the query (through the GIN index on
   PostgreSQL, the FTS5 index on SQLite), within the rows the caller's queryset allows (it is
   already scoped with ``visible_to(user)`` and any facet filter); excluded words remove rows;
2. count, for each candidate, the concepts it holds (« coverage ») and how well it holds them
   (weighted: a word in the title counts more than one in the body);
3. keep the candidates holding most of the concepts (more than half; if none does, at least
   half), best first: coverage first, then the weighted rank, plus a gentle freshness boost — or
   newest first when sorted by date.

A broad query is bounded: at most ``candidates`` rows of each index are ranked (the most recent
ones holding every concept, then the most recent holding any), and the count, read through the
index up to ``COUNT_LIMIT``, says « more than » past it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from .index import CONFIG, Index
from .requete import Concept, Requete

CANDIDATES = 1000  # a list page ranks up to this many rows (its pages go that far)
FEW_CANDIDATES = 250  # the global page shows the best few of each kind: it ranks fewer
COUNT_LIMIT = 1000
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A
SQLITE_WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # a, b, c, d
FRESHNESS = 0.15  # at most, for a document of today; half of it after a year


@dataclass
class Resultats:
    ids: list[int] = field(default_factory=list)  # best first, at most COUNT_LIMIT
    scores: dict[int, float] = field(default_factory=dict)
    dates: dict[int, datetime | None] = field(default_factory=dict)
    total: int = 0
    plus_de: bool = False  # the total is a lower bound
    complets: int = 0  # how many hold every concept of the query

    def __len__(self) -> int:
        return self.total


def min_coverage(n: int) -> tuple[int, int]:
    """(wanted, fallback): more than half of the concepts; if nothing does, at least half."""
    return n // 2 + 1, max(1, (n + 1) // 2)


def freshness(when: datetime | None, now: datetime) -> float:
    if when is None:
        return 0.0
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=now.tzinfo)
    years = max((now - when).total_seconds(), 0) / (365.25 * 86400)
    return FRESHNESS / (1 + years)


def search(
    queryset: QuerySet, index: Index, requete: Requete, *, sort: str = "pertinence", candidates: int = CANDIDATES
) -> Resultats:
    """Rank the rows of ``queryset`` (already scoped) for ``requete``."""
    if requete.vide:
        return Resultats()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        rows, truncated = _postgresql(queryset, index, requete, limit=candidates)
    else:
        rows = _sqlite(queryset, index, requete)
        truncated = False
    found = _rank(rows, n=len(requete.concepts), sort=sort, truncated=truncated)
    if truncated and found.total < COUNT_LIMIT:
        # More matches than ranked: count them through the index, up to the limit.
        counted = _pg_scope(queryset, requete, every=len(requete.concepts) > 1).values("pk")[: COUNT_LIMIT + 1].count()
        found.total = max(found.total, min(counted, COUNT_LIMIT))
        found.plus_de = counted > COUNT_LIMIT
    return found


def _rank(rows: list[tuple[int, int, float, datetime | None]], *, n: int, sort: str, truncated: bool) -> Resultats:
    wanted, fallback = min_coverage(n)
    kept = [row for row in rows if row[1] >= wanted] or [row for row in rows if row[1] >= fallback]
    now = timezone.now()
    scores = {pk: cover + rank + freshness(when, now) for pk, cover, rank, when in kept}
    dates = {pk: when for pk, _c, _r, when in kept}
    if sort == "date":
        order = sorted(scores, key=lambda pk: (dates[pk] is not None, dates[pk] or now, pk), reverse=True)
    else:
        order = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    total = len(order)
    complete = sum(1 for _pk, cover, _r, _w in kept if cover >= n)
    return Resultats(
        complets=complete,
        ids=order[:COUNT_LIMIT],
        scores=scores,
        dates=dates,
        total=min(total, COUNT_LIMIT),
        plus_de=total > COUNT_LIMIT or (truncated and total >= COUNT_LIMIT),
    )


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_forme(forme) -> SearchQuery:
    if forme.prefixe:
        return SearchQuery(f"{forme.mots[0]}:*", search_type="raw", config=CONFIG)
    if forme.phrase:
        return SearchQuery(forme.texte, search_type="phrase", config=CONFIG)
    return SearchQuery(forme.texte, search_type="plain", config=CONFIG)


def _pg_query(concept: Concept) -> SearchQuery:
    query = None
    for forme in concept.formes:
        part = _pg_forme(forme)
        query = part if query is None else query | part
    return query


def _pg_rank(concept: Concept):
    """How well a row holds a concept: its best form (an OR of many synonyms would dilute it)."""
    ranks = [SearchRank(F("recherche"), _pg_forme(forme), weights=PG_WEIGHTS) for forme in concept.formes]
    return ranks[0] if len(ranks) == 1 else Greatest(*ranks)


def _pg_words(words: list[str]) -> SearchQuery | None:
    query = None
    for word in words:
        part = SearchQuery(word, search_type="plain", config=CONFIG)
        query = part if query is None else query | part
    return query


def _pg_scope(queryset: QuerySet, requete: Requete, *, every: bool) -> QuerySet:
    """The rows holding every concept (``every``) or any, without the excluded words."""
    queries = [_pg_query(c) for c in requete.concepts]
    combined = queries[0]
    for query in queries[1:]:
        combined = (combined & query) if every else (combined | query)
    scoped = queryset.filter(recherche=combined)
    excluded = _pg_words(requete.exclus)
    return scoped.exclude(recherche=excluded) if excluded is not None else scoped


def _postgresql(queryset: QuerySet, index: Index, requete: Requete, *, limit: int) -> tuple[list[tuple], bool]:
    queries = [_pg_query(c) for c in requete.concepts]
    # The most recent matches only: a common word must not make the cost grow with the table.
    # Those holding every concept first, so that a broad word does not crowd them out.
    anything = list(_pg_scope(queryset, requete, every=False).order_by("-pk").values_list("pk", flat=True)[:limit])
    candidates = set(anything)
    if len(queries) > 1:
        candidates |= set(_pg_scope(queryset, requete, every=True).order_by("-pk").values_list("pk", flat=True)[:limit])
    cover = sum(
        (Case(When(Q(recherche=q), then=Value(1)), default=Value(0), output_field=IntegerField()) for q in queries),
        start=Value(0),
    )
    ranks = [_pg_rank(c) for c in requete.concepts]
    rank = sum(ranks[1:], start=ranks[0])
    rows = (
        index.model._base_manager.using(queryset.db)
        .filter(pk__in=candidates)
        .annotate(_cover=cover, _rank=rank)
        .values_list("pk", "_cover", "_rank", index.date)
    )
    n = len(queries)
    return [(pk, c, min(r / n, 1.0), when) for pk, c, r, when in rows], len(anything) >= limit


# --- SQLite (FTS5) -------------------------------------------------------------------------------


def _fts_expression(concept: Concept) -> str:
    parts = []
    for forme in concept.formes:
        quoted = '"' + " ".join(forme.racines) + '"'
        parts.append(quoted + "*" if forme.prefixe else quoted)
    return " OR ".join(parts)


def _sqlite(queryset: QuerySet, index: Index, requete: Requete) -> list[tuple]:
    from .index import sqlite_create_table
    from .texte import stem

    sqlite_create_table(index, using=queryset.db)
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    cover: dict[int, int] = {}
    rank: dict[int, float] = {}
    with connections[queryset.db].cursor() as cursor:
        for concept in requete.concepts:
            cursor.execute(
                f"SELECT rowid, bm25({index.fts_table}, {weights}) FROM {index.fts_table} "  # noqa: S608 (ours)
                f"WHERE {index.fts_table} MATCH %s",
                [_fts_expression(concept)],
            )
            for pk, score in cursor.fetchall():
                cover[pk] = cover.get(pk, 0) + 1
                strength = -score
                rank[pk] = rank.get(pk, 0.0) + 0.4 * strength / (strength + 3.0)
            # In the title: worth as much as PostgreSQL's weight A, whatever the corpus's size.
            cursor.execute(
                f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s",  # noqa: S608 (ours)
                [f"a : ({_fts_expression(concept)})"],
            )
            for (pk,) in cursor.fetchall():
                rank[pk] = rank.get(pk, 0.0) + 0.6
        if requete.exclus and cover:
            expression = " OR ".join(f'"{stem(w)}"' for w in requete.exclus)
            cursor.execute(f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s", [expression])  # noqa: S608
            for (pk,) in cursor.fetchall():
                cover.pop(pk, None)
    n = len(requete.concepts)
    ids = sorted(cover, reverse=True)
    dates: dict[int, datetime | None] = {}
    for start in range(0, len(ids), 900):
        dates.update(queryset.filter(pk__in=ids[start : start + 900]).values_list("pk", index.date))
    rows = [(pk, cover[pk], min(rank[pk] / n, 1.0), dates[pk]) for pk in ids if pk in dates]
    return rows


def explain_uses_index(queryset: QuerySet, index: Index, requete: Requete) -> str:
    """The PostgreSQL plan of the candidate search (for the test that reads it)."""
    queries = [_pg_query(c) for c in requete.concepts]
    anything = queries[0]
    for query in queries[1:]:
        anything = anything | query
    return queryset.filter(recherche=anything).order_by("-pk").values("pk")[:CANDIDATES].explain()


def holding_all(queryset: QuerySet, index: Index, words: list[str]) -> QuerySet:
    """Every row holding all ``words`` as word beginnings, through the index, unbounded (for staff
    tools that must see every match, such as a keyword rule applied to stored articles)."""
    from .texte import STOP_WORDS, fold, stem
    from .texte import words as split

    folded = [w for raw in words for w in split(fold(raw)) if w not in STOP_WORDS]
    if not folded:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        query = None
        for word in folded:
            part = SearchQuery(f"{word}:*", search_type="raw", config=CONFIG)
            query = part if query is None else query & part
        return queryset.filter(recherche=query)
    from .index import sqlite_create_table

    sqlite_create_table(index, using=queryset.db)
    expression = " AND ".join(f'"{stem(w)}"*' for w in folded)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s", [expression])  # noqa: S608
        ids = [row[0] for row in cursor.fetchall()]
    return queryset.filter(pk__in=ids)
