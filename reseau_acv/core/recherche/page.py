"""A search as a page shows it: the parsed query, its ranked results, and the correction of a
query that finds little (« Essayez avec … »)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Case, F, Func, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from . import correction, thesaurus
from .index import Index
from .moteur import CANDIDATES, Resultats, planned, search
from .requete import Requete, parse

FEW = 3


@dataclass
class Recherche:
    texte: str  # what was typed
    requete: Requete
    resultats: Resultats = field(default_factory=Resultats)
    corrigee: str | None = None  # the corrected query whose results are shown instead
    suggestion: str | None = None  # a corrected query offered (« Essayez avec … »)

    @property
    def total(self) -> int:
        return self.resultats.total


def parse_text(text: str, *, with_thesaurus=None) -> Requete:
    return parse(text, thesaurus=with_thesaurus or thesaurus.load())


def choose(texte: str, run, *, using: str, with_thesaurus=None) -> tuple[Requete, object, str | None, str | None]:
    """Run ``run(requete) -> (total, complets, payload)`` for the query, and for its correction
    when it finds little. Returns (requete shown, payload shown, corrected text, suggestion).

    A correction is only shown when visible documents hold every corrected word: a word known
    only from content the visitor may not see is never suggested."""
    with planned(using):
        return _choose(texte, run, using=using, with_thesaurus=with_thesaurus)


def _choose(texte: str, run, *, using: str, with_thesaurus=None):
    requete = parse_text(texte, with_thesaurus=with_thesaurus)
    total, complete, payload = run(requete)
    unknown = correction.unknown_words(texte, using=using) if not requete.vide else []
    if not unknown or complete >= FEW:
        return requete, payload, None, None
    fixed = correction.suggest(texte, using=using, unknown=unknown)
    if not fixed:
        return requete, payload, None, None
    fixed_requete = parse_text(fixed, with_thesaurus=with_thesaurus)
    fixed_total, fixed_complete, fixed_payload = run(fixed_requete)
    if fixed_complete == 0:
        return requete, payload, None, None
    if total == 0 or complete == 0:
        return fixed_requete, fixed_payload, fixed, None
    if fixed_complete > complete:
        return requete, payload, None, fixed
    return requete, payload, None, None


def rechercher(
    queryset: QuerySet, index: Index, texte: str, *, sort: str = "pertinence", candidates: int = CANDIDATES
) -> Recherche:
    """Search one index (a list page: the library, the questions, the press; ``candidates``: how
    many of a broad query's matches are ranked — fewer for a short list beside another)."""

    def run(requete):
        found = search(queryset, index, requete, sort=sort, candidates=candidates)
        return found.total, found.complets, found

    requete, found, corrigee, suggestion = choose(texte, run, using=queryset.db)
    return Recherche(texte=texte, requete=requete, resultats=found, corrigee=corrigee, suggestion=suggestion)


def among(queryset: QuerySet, ids, *, field: str = "pk") -> QuerySet:
    """``queryset`` restricted to rows whose ``field`` is one of ``ids``. On PostgreSQL the ids are
    one array parameter (``= ANY``): a thousand separate parameters cost more to send and to parse
    than the query itself."""
    ids = list(ids)
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": ids})
    model = queryset.model
    column = model._meta.pk.column if field == "pk" else model._meta.get_field(field).column
    test = RawSQL(f'"{model._meta.db_table}"."{column}" = ANY(%s)', [ids], output_field=BooleanField())  # noqa: S611
    return queryset.filter(test)


def in_order(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """``queryset`` restricted to ``ids``, in that order (a page of ranked results)."""
    if not ids:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        # The position in the array: one comparison per row, whatever the number of ids.
        position = Func(
            Value(list(ids), output_field=ArrayField(BigIntegerField())), F("pk"), function="array_position"
        )
        return among(queryset, ids).order_by(position)
    position = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
    return queryset.filter(pk__in=ids).order_by(position)


def excerpt_text(obj, index: Index) -> str:
    return " … ".join(str(getattr(obj, name) or "") for name in index.extrait if getattr(obj, name, ""))
