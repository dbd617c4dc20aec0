"""A search as a page shows it: the parsed query, its ranked results, and the correction of a
query that finds little (« Essayez avec … »)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Case, F, Func, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from . import correction, elargie, thesaurus
from .index import Index
from .moteur import CANDIDATES, Resultats, holds_every, planned, search
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


def choose(
    texte: str, run, *, using: str, with_thesaurus=None, elargir: bool = False, complet=None
) -> tuple[Requete, object, str | None, str | None]:
    """Run ``run(requete) -> (total, complets, payload)`` for the query, and for its correction
    when it finds little. Returns (requete shown, payload shown, corrected text, suggestion).

    A correction is only shown when visible documents hold every corrected word: a word known
    only from content the visitor may not see is never suggested. ``elargir``: a page that says so
    (« voici les plus proches ») may show the relaxed query's results (``_choose``). ``complet``:
    ``complet(requete) -> bool``, whether a visible document holds every word of a query (a cheap
    probe: a correction none holds is not searched in full)."""
    with planned(using):
        return _choose(texte, run, using=using, with_thesaurus=with_thesaurus, elargir=elargir, complet=complet)


def _choose(texte: str, run, *, using: str, with_thesaurus=None, elargir: bool = False, complet=None):
    """The query, or its correction (``_corrected``); when what is shown is still fewer than
    ``FEW`` results, the relaxed query (``elargie``) if it finds more: its ``Requete`` says
    ``elargie`` and the page says these are the closest documents, not ones holding every word."""
    requete = parse_text(texte, with_thesaurus=with_thesaurus)
    total, complete, payload = run(requete)
    shown = _corrected(
        texte, run, requete, total, complete, payload, using=using, with_thesaurus=with_thesaurus, complet=complet
    )
    shown_total, shown_complete = (total, complete) if shown[2] is None else shown[4]
    if not elargir or requete.vide or shown_total >= FEW or shown_complete:
        return shown[:4]
    held = 0
    for found in [shown[1]] if isinstance(shown[1], Resultats) else [f for _kind, f in shown[1]]:
        held |= found.tenus
    if shown[1] is not payload:  # a correction was shown: what the typed query held is not known
        held = 0
    wide = elargie.widen(requete, thesaurus=with_thesaurus or thesaurus.load(), using=using, un_seul=True, tenus=held)
    wide_total, _complete, wide_payload = run(wide)
    if wide_total <= shown_total:
        return shown[:4]
    _first_ahead(shown[1], wide_payload)
    return wide, wide_payload, None, None


def _first_ahead(first, wide) -> None:
    """What the query itself found stays ahead of what only the relaxed query finds (``first``
    and ``wide``: a ``Resultats``, or a list of (kind, ``Resultats``))."""
    pairs = [(first, wide)] if isinstance(wide, Resultats) else [(f[1], w[1]) for f, w in zip(first, wide, strict=True)]
    for before, after in pairs:
        if not before.ids:
            continue
        by_date = _by_date(after)
        lift = max(after.scores.values(), default=0.0) + 1.0
        for pk in before.ids:
            if pk in after.scores:
                after.scores[pk] += lift
        if not by_date:
            after.ids.sort(key=lambda pk: (-after.scores.get(pk, 0.0), -pk))


def _by_date(found: Resultats) -> bool:
    """Whether ``found`` is in date order (a list sorted by date keeps it)."""
    scores = [found.scores.get(pk, 0.0) for pk in found.ids]
    return any(a < b for a, b in zip(scores, scores[1:], strict=False))


def _corrected(texte: str, run, requete, total, complete, payload, *, using: str, with_thesaurus=None, complet=None):
    """(requete shown, payload shown, corrected text, suggestion, total of the correction). A
    correction is shown or offered only if documents hold every corrected word: when ``complet``
    says none does, it is not searched."""
    unknown = correction.unknown_words(texte, using=using) if not requete.vide else []
    if not unknown or complete >= FEW:
        return requete, payload, None, None, None
    fixed = correction.suggest(texte, using=using, unknown=unknown)
    if not fixed:
        return requete, payload, None, None, None
    fixed_requete = parse_text(fixed, with_thesaurus=with_thesaurus)
    if complet is not None and not complet(fixed_requete):
        return requete, payload, None, None, None
    fixed_total, fixed_complete, fixed_payload = run(fixed_requete)
    if fixed_complete == 0:
        return requete, payload, None, None, None
    if total == 0 or complete == 0:
        return fixed_requete, fixed_payload, fixed, None, (fixed_total, fixed_complete)
    if fixed_complete > complete:
        return requete, payload, None, fixed, None
    return requete, payload, None, None, None


def rechercher(
    queryset: QuerySet,
    index: Index,
    texte: str,
    *,
    sort: str = "pertinence",
    candidates: int = CANDIDATES,
    elargir: bool = False,
) -> Recherche:
    """Search one index (a list page: the library, the questions, the press; ``candidates``: how
    many of a broad query's matches are ranked — fewer for a short list beside another;
    ``elargir``: the page says when it shows the relaxed query's closest documents)."""

    def run(requete):
        found = search(queryset, index, requete, sort=sort, candidates=candidates)
        return found.total, found.complets, found

    requete, found, corrigee, suggestion = choose(
        texte, run, using=queryset.db, elargir=elargir, complet=lambda r: holds_every(queryset, index, r)
    )
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
