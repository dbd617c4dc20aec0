"""The search itself: a parsed query run against one model's index, on PostgreSQL or SQLite.

Both backends follow the same plan:

1. find the candidates that hold at least one concept of the query (through the GIN index on
   PostgreSQL, the FTS5 index on SQLite), within the rows the caller's queryset allows (it is
   already scoped with ``visible_to(user)`` and any facet filter); excluded words remove rows;
2. weigh, for each candidate, the concepts it holds (« coverage »: a concept few candidates hold
   counts more than a common one) and how well it holds them
   (weighted: a word in the title counts more than one in the body);
3. keep the candidates holding most of the concepts (more than half; if none does, at least
   half), best first: coverage first, then the weighted rank, plus a gentle freshness boost — or
   newest first when sorted by date.

A broad query is bounded: at most ``candidates`` rows of each index are ranked (the most recent
ones holding every concept, then the most recent holding any), and the count, read through the
index up to ``COUNT_LIMIT``, says « more than » past it.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connections, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .index import CONFIG, Index
from .requete import Concept, Requete
from .texte import STOP_WORDS

CANDIDATES = 500  # a list page ranks up to this many rows (its pages go that far)
FEW_CANDIDATES = 100  # the global page shows the best few of each kind: it ranks fewer
COUNT_LIMIT = 1000
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A
SQLITE_WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # a, b, c, d
RELAXED_SHARE = 0.75  # a relaxed query keeps the rows holding this share of the best row's concepts
RELAXED_FLOOR = 0.35  # …and, of every kind ranked together, scoring this share of the best score
FRESHNESS = 0.15  # at most, for a document of today; half of it after a year


@dataclass
class Resultats:
    ids: list[int] = field(default_factory=list)  # best first, at most COUNT_LIMIT
    scores: dict[int, float] = field(default_factory=dict)
    dates: dict[int, datetime | None] = field(default_factory=dict)
    total: int = 0
    plus_de: bool = False  # the total is a lower bound
    complets: int = 0  # how many hold every concept of the query
    tenus: int = 0  # the concepts some candidate holds, as bits (whether kept or not)

    def __len__(self) -> int:
        return self.total


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
    return search_together([(queryset, index)], requete, sort=sort, candidates=candidates)[0]


def search_together(
    sources: list[tuple[QuerySet | None, Index]],
    requete: Requete,
    *,
    sort: str = "pertinence",
    candidates: int = CANDIDATES,
) -> list[Resultats]:
    """Rank several indexes for one page (the global search's kinds of content; a ``None``
    queryset: a kind the filters leave out). Each concept weighs the same in all of them — how
    many of all their candidates hold it: a word no candidate of one kind holds still tells which
    rows of the other kinds answer, so that a row holding only the query's common words never
    looks complete because its kind lacks the rare one."""
    if requete.vide:
        return [Resultats() for _source in sources]
    gathered = [
        _gather(queryset, index, requete, candidates) if queryset is not None else None for queryset, index in sources
    ]
    n = len(requete.concepts)
    shared = weights([row[1] for found in gathered if found for row in found[0]], n)
    poids = [concept.poids for concept in requete.concepts]
    partiels = [(concept, poids[concept]) for concept, _word in partial_words(requete)]
    shared = [w * p for w, p in zip(shared, poids, strict=True)]
    results = []
    for found in gathered:
        if found is None:
            results.append(Resultats())
            continue
        rows, truncated, every_count = found
        ranked = _rank(
            rows,
            n=n,
            sort=sort,
            truncated=truncated,
            every_row=requete.un_seul,
            concept_weights=shared,
            partiels=partiels,
        )
        if truncated and ranked.total < COUNT_LIMIT:
            # More matches than ranked: those holding every concept were counted through the index.
            ranked.total = max(ranked.total, min(every_count, COUNT_LIMIT))
            ranked.plus_de = every_count > COUNT_LIMIT
        results.append(ranked)
    if requete.un_seul:
        _floor(results, RELAXED_FLOOR)
    return results


def holds_every(queryset: QuerySet, index: Index, requete: Requete) -> bool:
    """Whether some row of ``queryset`` (already scoped) holds every concept of ``requete``: a
    probe before a whole search that only matters if one does (a correction of the query). On
    PostgreSQL one statement through the GIN index, which stops at the first row; SQLite searches
    a small corpus: it answers yes and the search runs."""
    if requete.vide:
        return False
    using = queryset.db
    if connections[using].vendor != "postgresql":
        return True
    with planned(using):
        compiled = _pg_compile(requete, using)
        if not compiled.every:
            return bool(compiled.any)
        return _pg_matching(queryset, index, compiled.every, compiled.exclus).exists()


def _floor(results: list[Resultats], share: float) -> None:
    """Keep, of a relaxed query's rows (of every kind ranked together), those scoring at least
    ``share`` of the best one: the closest documents, not every row sharing one word with it."""
    best = max((score for found in results for score in found.scores.values()), default=0.0)
    for found in results:
        kept = {pk for pk, score in found.scores.items() if score >= share * best}
        if len(kept) == len(found.scores):
            continue
        found.ids = [pk for pk in found.ids if pk in kept]
        found.scores = {pk: score for pk, score in found.scores.items() if pk in kept}
        found.dates = {pk: when for pk, when in found.dates.items() if pk in kept}
        found.total = len(found.ids)
        found.plus_de = False


def partial_words(requete: Requete) -> list[tuple[int, str]]:
    """(concept, word) for each word typed of a thesaurus expression typed with several words
    (« commerces fermés »): a row holding « commerces » alone holds half of what was typed."""
    return [
        (i, word)
        for i, concept in enumerate(requete.concepts)
        if concept.du_thesaurus and concept.poids > 1
        for word in concept.saisi.split()
        if word not in STOP_WORDS
    ]


def _held(mask: int, found: list[float], n: int, partiels: list[tuple[int, int]]) -> float:
    """The weight of what a row holds: each concept it holds, and the held share of each
    expression it holds some typed words of only."""
    held = sum(w for i, w in enumerate(found) if mask >> i & 1)
    share: dict[int, int] = {}
    for j, (concept, _typed) in enumerate(partiels):
        if mask >> (n + j) & 1 and not mask >> concept & 1:
            share[concept] = share.get(concept, 0) + 1
    return held + sum(found[concept] * count / dict(partiels)[concept] for concept, count in share.items())


def _gather(queryset: QuerySet, index: Index, requete: Requete, candidates: int) -> tuple[list[tuple], bool, int]:
    """(rows to rank, whether the matches were more than could be ranked, how many hold every concept)."""
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql(queryset, index, requete, limit=candidates)
    return _sqlite(queryset, index, requete), False, 0


def weights(masks: list[int], n: int) -> list[float]:
    """Each concept's weight, from how many candidates hold it (``masks``: one bit per concept):
    a concept few of them hold tells more than one most of them hold (an inverse document
    frequency over the candidates, at least 1). A concept no candidate holds tells nothing of
    them: it weighs as little as the commonest one (so that holding the others is not enough to
    look complete)."""
    total = len(masks)
    held = [sum(1 for mask in masks if mask >> i & 1) for i in range(n)]
    found = [1 + math.log((total + 1) / (count + 1)) for count in held if count]
    least = min(found, default=1.0)
    return [1 + math.log((total + 1) / (count + 1)) if count else least for count in held]


def _rank(
    rows: list[tuple[int, int, float, datetime | None]],
    *,
    n: int,
    sort: str,
    truncated: bool,
    every_row: bool = False,
    concept_weights: list[float] | None = None,
    partiels: list[tuple[int, int]] | None = None,
) -> Resultats:
    """``rows``: (pk, which concepts it holds as bits, weighted rank, date). A row's coverage is the
    weighted share of the concepts it holds, on the scale of ``n`` (``n`` when it holds them all);
    each concept weighs ``concept_weights`` (by default from these rows alone, see ``weights``;
    a concept standing for several typed words — a thesaurus expression — weighs as many).
    A row that holds only some typed words of such an expression (``partiels``: (concept, how
    many words it was typed with) for each bit past ``n``) holds that share of it.
    ``every_row`` (a relaxed query): every row holding enough of what the best row holds is kept."""
    found = concept_weights or weights([row[1] for row in rows], n)
    total_weight = sum(found) or 1.0
    coverage = {pk: n * _held(mask, found, n, partiels or []) / total_weight for pk, mask, _r, _w in rows}
    kept = [row for row in rows if coverage[row[0]] > n / 2] or [row for row in rows if coverage[row[0]] >= n / 2]
    if every_row and rows:  # the closest: those holding at least RELAXED_SHARE of what the best holds
        best = max(coverage.values())
        kept = [row for row in rows if coverage[row[0]] >= RELAXED_SHARE * best]
    now = timezone.now()
    scores = {pk: coverage[pk] + rank + freshness(when, now) for pk, _mask, rank, when in kept}
    dates = {pk: when for pk, _m, _r, when in kept}
    if sort == "date":
        order = sorted(scores, key=lambda pk: (dates[pk] is not None, dates[pk] or now, pk), reverse=True)
    else:
        order = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    total = len(order)
    every = (1 << n) - 1
    complete = sum(1 for _pk, mask, _r, _w in kept if mask & every == every)
    held = 0
    for _pk, mask, _r, _w in rows:
        held |= mask & every
    return Resultats(
        tenus=held,
        complets=complete,
        ids=order[:COUNT_LIMIT],
        scores=scores,
        dates=dates,
        total=min(total, COUNT_LIMIT),
        plus_de=total > COUNT_LIMIT or (truncated and total >= COUNT_LIMIT),
    )


# --- PostgreSQL ----------------------------------------------------------------------------------
#
# Every statement reads the stored, GIN-indexed vector with ``@@`` and a constant ``tsquery`` (so
# the planner sees the real query). The planner is asked not to read whole tables
# (``enable_seqscan``) — its estimate of a phrase or of several synonyms is often ten times off,
# and a misled plan walks 500,000 rows — not to compile (``jit``) and not to start parallel
# workers: both cost more than these short, bounded queries.


PLANNER = {"enable_seqscan": "off", "jit": "off", "max_parallel_workers_per_gather": "0"}


@contextmanager
def planned(using: str):
    """Run the search statements inside one transaction with the planner settings above
    (reentrant). The settings ride on the block's first statement (``_settings_first``)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or getattr(connection, "_recherche_planned", None) is not None:
        yield
        return
    outer = connection.in_atomic_block
    state = {"pending": True, "before": None}
    with transaction.atomic(using=using, savepoint=False):
        connection._recherche_planned = state
        try:
            yield
        finally:
            connection._recherche_planned = None
            if outer and state["before"] and connection.is_usable() and not connection.needs_rollback:
                with connection.cursor() as cursor:  # the enclosing transaction goes on as it was
                    cursor.execute(
                        "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in PLANNER),
                        list(state["before"]),
                    )


def _settings_first(using: str, selects: list[str], params: list) -> list:
    """Run ``SELECT selects`` — with the planner settings first when the block has not applied
    them yet — and return the row of ``selects``."""
    state = getattr(connections[using], "_recherche_planned", None)
    pending = bool(state and state["pending"])
    if pending:
        selects = [
            *(f"current_setting('{name}')" for name in PLANNER),
            *(f"set_config('{name}', '{value}', true)" for name, value in PLANNER.items()),
            *selects,
        ]
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = list(cursor.fetchone())
    if pending:
        state["pending"], state["before"] = False, tuple(row[: len(PLANNER)])
        row = row[2 * len(PLANNER) :]
    return row


def _pg_forme_sql(forme) -> tuple[str, str]:
    """(how to match the form, how to rank it): a phrase is matched by its pairs of neighbouring
    words (through the GIN index alone, see ``index``) and ranked by its words."""
    if forme.prefixe:
        return "to_tsquery(%s, %s)", "to_tsquery(%s, %s)"
    if forme.phrase:
        return "public.recherche_phrase(%s)", "phraseto_tsquery(%s, %s)"
    return "plainto_tsquery(%s, %s)", "plainto_tsquery(%s, %s)"


def _pg_forme_params(sql: str, forme) -> list[str]:
    text = f"{forme.mots[0]}:*" if forme.prefixe else forme.texte
    # A stem already is not stemmed again (« habit », of « habitants », would become « hab »).
    return [text] if sql.startswith("public.") else ["simple" if forme.racine else CONFIG, text]


@dataclass
class _Compiled:
    """The query's tsqueries as PostgreSQL writes them (computed once per query and connection)."""

    formes: list[list[str]]  # per concept, per form: how it is matched ('' when only stop words)
    rangs: list[list[str]]  # per concept, per form: how it is ranked
    exclus: str
    partiels: list[str] = field(default_factory=list)  # the typed words of ``partial_words``

    def concept(self, i: int) -> str:
        parts = [f"({t})" for t in self.formes[i] if t]
        return " | ".join(parts)

    @property
    def concepts(self) -> list[str]:
        return [self.concept(i) for i in range(len(self.formes))]

    @property
    def any(self) -> str:
        return " | ".join(f"({c})" for c in self.concepts if c)

    @property
    def every(self) -> str:
        concepts = self.concepts
        return "" if not all(concepts) else " & ".join(f"({c})" for c in concepts)


def _pg_compile(requete: Requete, using: str) -> _Compiled:
    cached = requete.compile_cache.get(using)
    if cached is not None:
        state = getattr(connections[using], "_recherche_planned", None)
        if state and state["pending"]:  # a new block asks the same query again
            _settings_first(using, ["1"], [])
        return cached
    selects, params = [], []
    for concept in requete.concepts:
        for forme in concept.formes:
            for sql in _pg_forme_sql(forme):
                selects.append(f"{sql}::text")
                params += _pg_forme_params(sql, forme)
    selects.append("plainto_tsquery(%s, %s)::text")
    params += [CONFIG, " ".join(requete.exclus)]
    partial = partial_words(requete)
    for _concept, word in partial:
        selects.append("plainto_tsquery(%s, %s)::text")
        params += [CONFIG, word]
    row = _settings_first(using, selects, params)
    formes, rangs = [], []
    for concept in requete.concepts:
        texts = [row.pop(0) or "" for _ in range(2 * len(concept.formes))]
        formes.append(texts[0::2])
        rangs.append(texts[1::2])
    exclus = row.pop(0) or ""
    compiled = _Compiled(formes=formes, rangs=rangs, exclus=exclus, partiels=[row.pop(0) or "" for _ in partial])
    requete.compile_cache[using] = compiled
    return compiled


def _pg_matching(queryset: QuerySet, index: Index, tsquery: str, exclus: str) -> QuerySet:
    """The rows of ``queryset`` whose vector matches ``tsquery`` (through the GIN index)."""
    scoped = queryset.order_by().filter(_matches(index, tsquery))
    return scoped.exclude(_matches(index, exclus)) if exclus else scoped


def _matches(index: Index, tsquery: str, *, row_by_row: bool = False) -> RawSQL:
    # The column is ours and the tsquery a parameter.
    column = f'"{index.table}"."recherche"'
    column = f"coalesce({column}, ''::tsvector)" if row_by_row else column
    return RawSQL(f"{column} @@ %s::tsquery", [tsquery], output_field=BooleanField())  # noqa: S611


def _pg_first(queryset: QuerySet, index: Index, tsquery: str, exclus: str) -> list[int]:
    """Up to ``COUNT_LIMIT + 1`` matching ids through the GIN index's bitmap: no more rows are
    visited than that, however common the words (a broad query's count is bounded)."""
    return list(_pg_matching(queryset, index, tsquery, exclus).values_list("pk", flat=True)[: COUNT_LIMIT + 1])


# The most recent matches of a broad query are read in date order first, a few rows per match
# wanted (``READ_PER_MATCH``): each row's vector is tested, the GIN index is not used — its bitmap
# would hold every match before they are sorted. When that finds under a quarter of the matches
# wanted, they are sparse (a few thousand at most in a large table) and are found through the
# bitmap after all. Each way is planned with settings of its own, sent in the same round trip.
READ_PER_MATCH = 10
IN_ORDER = ("enable_bitmapscan", "enable_sort")
THROUGH_BITMAP = ("enable_indexscan",)


def _pg_recent_rows(
    queryset: QuerySet, index: Index, tsquery: str, exclus: str, k: int, *, in_order: bool
) -> tuple[str, list]:
    """The statement of (at most) the ``k`` most recent matches of a broad query, as rows (id,
    date, vector). ``in_order``: among the ``READ_PER_MATCH × k`` most recent dated visible rows,
    read through the date's index (or the key's), the vector of each is tested (``coalesce`` hides
    the column from the GIN index). Otherwise every match is found through the GIN bitmap, then
    sorted."""
    date = index.date
    if not in_order:
        scoped = _pg_matching(queryset, index, tsquery, exclus)
        inner, params = scoped.order_by("-pk").values("id", date, "recherche")[:k].query.sql_with_params()
        return f"SELECT r.id, r.{date}, r.recherche FROM ({inner}) r", list(params)  # noqa: S608 (ours)
    field = index.model._meta.get_field(date)
    if field.db_index:
        recent = queryset.filter(**{f"{date}__isnull": False}).order_by(f"-{date}")
    else:
        recent = queryset.order_by("-pk")
    inner, params = recent.values("id", date, "recherche")[: READ_PER_MATCH * k].query.sql_with_params()
    where = "coalesce(r.recherche, ''::tsvector) @@ %s::tsquery"
    params = [*params, tsquery]
    if exclus:
        where += " AND NOT coalesce(r.recherche, ''::tsvector) @@ %s::tsquery"
        params.append(exclus)
    return f"SELECT r.id, r.{date}, r.recherche FROM ({inner}) r WHERE {where} LIMIT {int(k)}", params  # noqa: S608


def _ids_rows(index: Index, ids) -> tuple[str, list]:
    """The rows (id, date, vector) of these ids."""
    date = index.model._meta.get_field(index.date).column
    return f"SELECT id, {date}, recherche FROM {index.table} WHERE id = ANY(%s)", [list(ids)]  # noqa: S608 (ours)


def _pg_rank(
    index: Index, compiled: _Compiled, sources: list[tuple[str, list]], *, using: str, off: tuple[str, ...] = ()
) -> list[tuple]:
    """Coverage, weighted rank and date of the rows (id, date, vector) that ``sources`` give, each
    vector read once, duplicates dropped. ``off``: planner settings turned off for this statement
    only (in the same round trip)."""
    weights = "'{" + ",".join(str(w) for w in PG_WEIGHTS) + "}'::real[]"
    covers, ranks, cover_params, rank_params = [], [], [], []
    for i, concept in enumerate(compiled.concepts):
        if not concept:
            continue
        covers.append(f"((v @@ %s::tsquery)::int << {i})")
        cover_params.append(concept)
        forms = [f"ts_rank({weights}, v, %s::tsquery)" for t in compiled.rangs[i] if t]
        rank_params += [t for t in compiled.rangs[i] if t]
        if forms:
            ranks.append(forms[0] if len(forms) == 1 else f"GREATEST({', '.join(forms)})")
    n = len(compiled.formes)
    for j, word in enumerate(compiled.partiels):
        if word:
            covers.append(f"((v @@ %s::tsquery)::int << {n + j})")
            cover_params.append(word)
    cover = " + ".join(covers) or "0"
    rank = " + ".join(ranks) or "0"
    union = " UNION ALL ".join(f"({sql})" for sql, _params in sources)
    source_params = [p for _sql, params in sources for p in params]
    sql = (
        f"SELECT id, {cover}, {rank}, d FROM ("  # noqa: S608 (our columns and placeholders)
        f"SELECT u.id, u.d, u.recherche || ''::tsvector AS v FROM ({union}) AS u(id, d, recherche) OFFSET 0) s"
    )
    with connections[using].cursor() as cursor:
        if not off:
            cursor.execute(sql, [*cover_params, *rank_params, *source_params])
            rows = cursor.fetchall()
        else:
            before = "SELECT " + ", ".join(f"set_config('{name}', 'off', true)" for name in off)
            after = "SELECT " + ", ".join(f"set_config('{name}', 'on', true)" for name in off)
            cursor.execute(f"{before}; {sql}; {after}", [*cover_params, *rank_params, *source_params])
            cursor.nextset()
            rows = cursor.fetchall()
    seen: set[int] = set()
    return [row for row in rows if not (row[0] in seen or seen.add(row[0]))]


def _postgresql(queryset: QuerySet, index: Index, requete: Requete, *, limit: int) -> tuple[list[tuple], bool, int]:
    """(rows to rank, whether the matches were more than could be ranked, how many hold every concept
    — bounded by ``COUNT_LIMIT + 1`` — when they were).

    Two or three statements. The first matches through the GIN index — for several concepts,
    first those holding every concept: when more than ``COUNT_LIMIT`` do, only they are ranked, the
    most recent ``limit`` of them (``_pg_recent_rows``); when at least ``limit`` do, only they are
    ranked too (the others would rank below them: they are not looked for); otherwise the matches
    of any concept: every one of them is ranked when they are at most ``COUNT_LIMIT``, else those
    holding every concept and the most recent of the others."""
    using = queryset.db
    n = len(requete.concepts)
    with planned(using):
        compiled = _pg_compile(requete, using)  # the block's first statement: it carries the settings
        if not compiled.any:
            return [], False, 0
        holding: list[int] = []
        if n > 1 and compiled.every:
            holding = _pg_first(queryset, index, compiled.every, compiled.exclus)
            if len(holding) > COUNT_LIMIT:  # a broad query: only rows holding every concept are ranked
                return _scaled(_pg_recent(queryset, index, compiled, compiled.every, [], limit), n), True, len(holding)
            if len(holding) >= limit:
                # Those holding every concept fill the ranking, and the others would rank below them:
                # the matches of any concept (often a bitmap of a hundred thousand rows for a common
                # word) are not looked for; the count is of the rows holding every concept.
                return (
                    _scaled(_pg_rank(index, compiled, [_ids_rows(index, holding)], using=using), n),
                    True,
                    len(holding),
                )
        first = _pg_first(queryset, index, compiled.any, compiled.exclus)
        if len(first) <= COUNT_LIMIT:
            rows = _pg_rank(index, compiled, [_ids_rows(index, first)], using=using) if first else []
            return _scaled(rows, n), False, 0
        every_count = len(holding) if n > 1 else len(first)
        return _scaled(_pg_recent(queryset, index, compiled, compiled.any, holding, limit), n), True, every_count


def _pg_recent(queryset, index: Index, compiled: _Compiled, tsquery: str, fixed: list[int], limit: int) -> list[tuple]:
    """Rank the rows ``fixed`` and the most recent ``limit`` matches of ``tsquery``: read in date
    order, or through the GIN bitmap when that finds under a quarter of them (they are sparse)."""
    sources = [_ids_rows(index, fixed)] if fixed else []
    for in_order in (True, False):
        recent = _pg_recent_rows(queryset, index, tsquery, compiled.exclus, limit, in_order=in_order)
        rows = _pg_rank(
            index, compiled, [*sources, recent], using=queryset.db, off=IN_ORDER if in_order else THROUGH_BITMAP
        )
        if len(rows) - len(fixed) >= limit / 4:
            break
    return rows


def _scaled(rows: list[tuple], n: int) -> list[tuple]:
    return [(pk, c, min(r / n, 1.0), when) for pk, c, r, when in rows]


# --- SQLite (FTS5) -------------------------------------------------------------------------------


def _fts_expression(concept: Concept) -> str:
    parts = []
    for forme in concept.formes:
        if forme.libre:
            parts.append("(" + " AND ".join(f'"{r}"' for r in forme.racines) + ")")
            continue
        quoted = '"' + " ".join(forme.racines) + '"'
        parts.append(quoted + "*" if forme.prefixe else quoted)
    return " OR ".join(parts)


def _sqlite(queryset: QuerySet, index: Index, requete: Requete) -> list[tuple]:
    from .index import sqlite_create_table
    from .texte import stem

    sqlite_create_table(index, using=queryset.db)
    bm25_weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    cover: dict[int, int] = {}
    rank: dict[int, float] = {}
    with connections[queryset.db].cursor() as cursor:
        for position, concept in enumerate(requete.concepts):
            cursor.execute(
                f"SELECT rowid, bm25({index.fts_table}, {bm25_weights}) FROM {index.fts_table} "  # noqa: S608 (ours)
                f"WHERE {index.fts_table} MATCH %s",
                [_fts_expression(concept)],
            )
            for pk, score in cursor.fetchall():
                cover[pk] = cover.get(pk, 0) | 1 << position
                strength = -score
                rank[pk] = rank.get(pk, 0.0) + 0.4 * strength / (strength + 3.0)
            # In the title: worth as much as PostgreSQL's weight A, whatever the corpus's size.
            cursor.execute(
                f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s",  # noqa: S608 (ours)
                [f"a : ({_fts_expression(concept)})"],
            )
            for (pk,) in cursor.fetchall():
                rank[pk] = rank.get(pk, 0.0) + 0.6
        n = len(requete.concepts)
        for j, (_concept, word) in enumerate(partial_words(requete)):
            cursor.execute(
                f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s",  # noqa: S608 (ours)
                [f'"{stem(word)}"'],
            )
            for (pk,) in cursor.fetchall():
                if pk in cover:  # a candidate already: this only tells how much of the expression it holds
                    cover[pk] |= 1 << (n + j)
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


def plans(
    queryset: QuerySet, index: Index, requete: Requete, *, candidates: int = CANDIDATES
) -> list[tuple[str, dict]]:
    """The PostgreSQL plan (``EXPLAIN ANALYZE``, as JSON) of every statement a search of this index
    runs, replayed with the engine's planner settings (for the test that reads them, and the bench)."""
    from django.test.utils import CaptureQueriesContext

    connection = connections[queryset.db]
    requete.compile_cache.pop(queryset.db, None)
    with CaptureQueriesContext(connection) as captured:
        search(queryset, index, requete, candidates=candidates)
    found = []
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        for query in captured.captured_queries:
            parts = query["sql"].split("; ")
            if len(parts) >= 3 and parts[0].startswith("SELECT set_config("):  # a statement with its settings
                before, sql, after = parts[0], "; ".join(parts[1:-1]), parts[-1]
            else:
                before, sql, after = None, query["sql"], None
            if before:
                cursor.execute(before)
            if sql.startswith("SELECT") and index.table in sql and "set_config(" not in sql:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                found.append((sql, cursor.fetchone()[0][0]))
            elif "set_config(" in sql:
                cursor.execute(sql)
            if after:
                cursor.execute(after)
        transaction.set_rollback(True, using=queryset.db)
    return found


def plan_nodes(node: dict):
    """Every node of a JSON plan."""
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def holding_all(queryset: QuerySet, index: Index, words: list[str]) -> QuerySet:
    """Every row holding all ``words`` as word beginnings, through the index, unbounded (for staff
    tools that must see every match, such as a keyword rule applied to stored articles)."""
    from .texte import STOP_WORDS, fold, stem
    from .texte import words as split

    folded = [w for raw in words for w in split(fold(raw)) if w not in STOP_WORDS]
    if not folded:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

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
