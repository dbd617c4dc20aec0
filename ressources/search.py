"""French full-text search.

On PostgreSQL each moderated model keeps a weighted ``tsvector`` (``recherche``, GIN-indexed,
built with the ``french_unaccent`` configuration: French stemming, accents ignored), refreshed
by the services after each write; queries are ranked with ``SearchRank`` and excerpts come from
``SearchHeadline``. On SQLite every word of the query must appear (``icontains``) and the
excerpt is the summary.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Question, Ressource, RetourExperience

CONFIG = "french_unaccent"
START, STOP = "\u27e6", "\u27e7"  # markers that never occur in French text, escaped then marked

# Fields indexed per model, with their weight; the excerpt is drawn from the last ones.
FIELDS = {
    Ressource: (("titre", "A"), ("resume", "B"), ("source", "C"), ("corps", "C")),
    RetourExperience: (
        ("titre", "A"),
        ("difficulte", "B"),
        ("leviers", "B"),
        ("contexte", "C"),
        ("resultat", "C"),
        ("partenaires", "D"),
    ),
    Question: (("titre", "A"), ("corps", "B")),
}
EXCERPT = {
    Ressource: ("resume", "corps"),
    RetourExperience: ("difficulte", "leviers", "resultat"),
    Question: ("corps",),
}


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_vector(model):
    vector = None
    for field, weight in FIELDS[model]:
        part = SearchVector(field, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def refresh_search_vector(obj) -> None:
    """Rebuild the search vector of one row (a no-op on SQLite)."""
    if uses_postgres():
        type(obj).objects.filter(pk=obj.pk).update(recherche=search_vector(type(obj)))


def refresh_all(model, *, batch: int = 2000) -> int:
    if not uses_postgres():
        return 0
    return model.objects.update(recherche=search_vector(model))


def _excerpt_source(model):
    parts = []
    for field in EXCERPT[model]:
        if parts:
            parts.append(Value(" … "))
        parts.append(F(field))
    return Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Filter ``queryset`` to rows matching ``text``, annotated with ``rank`` and ``extrait_brut``."""
    text = " ".join(text.split())[:200]
    model = queryset.model
    if not text:
        return queryset
    if uses_postgres():
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return (
            queryset.filter(recherche=query)
            .annotate(
                rank=SearchRank(F("recherche"), query),
                extrait_brut=SearchHeadline(
                    _excerpt_source(model),
                    query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-publie_le", "pk")
        )
    fields = [field for field, _weight in FIELDS[model]]
    for word in text.split():
        word_match = Q()
        for field in fields:
            word_match |= Q(**{f"{field}__unaccent__icontains": word})
        queryset = queryset.filter(word_match)
    return queryset.annotate(rank=Value(1.0), extrait_brut=_excerpt_source(model))


# Markdown syntax in the body (headings, emphasis, list bullets, code) is not shown in excerpts.
MARKDOWN_MARKS = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)(?=\s)|\*\*|__|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def highlight(raw: str | None) -> str:
    """Turn a headline into safe HTML: the text escaped, the matched words in ``<mark>``."""
    if not raw:
        return ""
    raw = MARKDOWN_MARKS.sub(" ", raw)
    raw = " ".join(raw.split())
    if START not in raw and len(raw) > 300:
        raw = raw[:300].rsplit(" ", 1)[0] + " …"
    html = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (the text was escaped just above; only <mark> is added)
