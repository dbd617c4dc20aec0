"""Global search: one query, results grouped by kind, each group ranked and scoped.

Each group is a function ``search(user=, query=, limit=)`` returning at most ``limit`` results
the user may see (through the model's ``visible_to``), best first, in one or two queries.
Towns are registered here; the domain apps' groups in ``accueil.integrations``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from villes.models import Ville

SEARCH_CONFIG = "french_unaccent"
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class SearchResult:
    titre: str
    url: str
    extrait: str = ""
    date: datetime | None = None


@dataclass(frozen=True)
class SearchGroup:
    key: str
    title: str
    search: Callable[..., list[SearchResult]]
    order: int = 100


_GROUPS: dict[str, SearchGroup] = {}


def register_search_group(group: SearchGroup) -> None:
    _GROUPS[group.key] = group


def search_groups() -> list[SearchGroup]:
    return sorted(_GROUPS.values(), key=lambda g: (g.order, g.key))


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


RANKED_CANDIDATES = 2000


def fulltext(queryset, *, query: str, fields: dict[str, str], title_field: str, vector_field: str | None = None):
    """Filter and rank ``queryset`` for ``query``: French stemming without accents on
    PostgreSQL (``fields`` maps a field to its weight A–D), plain ``icontains`` on SQLite.

    With ``vector_field`` (a stored, GIN-indexed search vector of those fields), PostgreSQL
    matches through the index instead of computing every row's vector, and ranks the
    ``RANKED_CANDIDATES`` most recent matches."""
    if is_postgresql() and vector_field:
        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        # A common word can match a large share of a big table (the press): only the most recent
        # matches are ranked, so the cost does not grow with the table.
        recent = queryset.filter(**{vector_field: search_query}).order_by("-pk").values("pk")[:RANKED_CANDIDATES]
        return (
            queryset.filter(pk__in=recent)
            .annotate(rank=SearchRank(F(vector_field), search_query))
            .order_by("-rank", title_field)
        )
    if not is_postgresql():
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__unaccent__icontains": query})
        return queryset.filter(condition).order_by(title_field)
    vector = None
    for name, weight in fields.items():
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        queryset.annotate(rank=SearchRank(vector, search_query))
        .filter(Q(rank__gt=0) | Q(**{f"{title_field}__unaccent__icontains": query}))
        .order_by("-rank", title_field)
    )


def search_villes(*, user, query: str, limit: int) -> list[SearchResult]:
    """Towns are public reference data: by name first (exact, then prefix), then by text."""
    queryset = fulltext(Ville.objects.all(), query=query, fields={"nom": "A", "presentation": "B"}, title_field="nom")
    name_lookup = "nom__unaccent__iexact" if is_postgresql() else "nom__iexact"
    prefix_lookup = "nom__unaccent__istartswith" if is_postgresql() else "nom__istartswith"
    queryset = queryset.annotate(
        exact=Case(
            When(**{name_lookup: query}, then=Value(2)),
            When(**{prefix_lookup: query}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    ordering = ["-exact", "-reseau_regional", *queryset.query.order_by]
    return [
        SearchResult(
            titre=ville.nom, url=ville.get_absolute_url(), extrait=f"{ville.departement_nom} ({ville.departement_code})"
        )
        for ville in queryset.order_by(*ordering)[:limit]
    ]


register_search_group(SearchGroup("villes", _("Villes et communes"), search_villes, order=10))


def search_all(*, user, query: str, limit: int = 10) -> list[tuple[SearchGroup, list[SearchResult]]]:
    query = " ".join(query.split())[:200]
    if len(query) < MIN_QUERY_LENGTH:
        return []
    return [(group, group.search(user=user, query=query, limit=limit)) for group in search_groups()]
