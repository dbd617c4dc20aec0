"""The town picker's reads: suggestions for what a visitor types, and typed text resolved to towns.

Some 1,850 towns and communes are too many for a ``<select>``. A form field of
:mod:`villes.fields` takes what was typed (a name, « Nom (dép.) », an INSEE code or a slug) and
resolves it here, in one query whatever the number of names; the JSON endpoint
``villes:ville-choices`` suggests towns as one types (the combobox of ``static/js/ville-picker.js``).

A filter offers only the towns that have content the visitor may see, with their number. The
apps built on ``villes`` (resources, meetings, press) register that content here, in their
``AppConfig.ready``, as they register their town-page sections (:mod:`villes.sections`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower

from .models import Ville

INSEE_RE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$", re.IGNORECASE)
LABEL_RE = re.compile(r"^(?P<nom>.+?)\s*\((?P<dep>[0-9]{2,3}|2[AB])\)$", re.IGNORECASE)
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # a town's slug, as links to filters carry it
SUGGESTIONS = 20


@dataclass(frozen=True)
class TownContent:
    """What a filter counts for each town: the content a user may see, and its path to the town."""

    key: str
    content: Callable[..., QuerySet]  # content(user) -> QuerySet, already scoped with visible_to
    path: str  # the content's field that points to the town(s): "villes" or "ville"
    noun: Callable[[int], str]  # noun(n) -> « 12 ressources »


_CONTENTS: dict[str, TownContent] = {}


def register_town_content(content: TownContent) -> None:
    _CONTENTS[content.key] = content


def town_content(key: str) -> TownContent | None:
    return _CONTENTS.get(key)


def fold(text: str) -> str:
    """Lower case, without accents (as PostgreSQL's ``lower(unaccent(…))``), single spaces."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("’", "'").split())


def _folded_nom():
    if connection.vendor == "postgresql":
        return Lower(Func(F("nom"), function="unaccent"))
    return Lower("nom")  # SQLite (local first run): accents must be typed


def label(ville: Ville) -> str:
    return f"{ville.nom} ({ville.departement_code})"


def tokens(values: list[str]) -> list[str]:
    """Each name typed or chosen; several may be typed in one box, separated by « ; »."""
    found = []
    for value in values:
        for part in re.split(r"[;\n]", str(value)):
            part = " ".join(part.split())
            if part and part not in found:
                found.append(part)
    return found


@dataclass
class Resolution:
    villes: list[Ville]
    unknown: list[str]
    ambiguous: dict[str, list[Ville]]
    by_token: dict[str, Ville] = field(default_factory=dict)  # what each resolved token named


def resolve(values: list[str], *, queryset: QuerySet[Ville] | None = None) -> Resolution:
    """Turn typed or chosen values into towns, in one query. Each value is an INSEE code, a
    slug, « Nom (dép.) » or a name; a name several communes share is ambiguous."""
    queryset = Ville.objects.all() if queryset is None else queryset
    wanted = tokens(values)
    if not wanted:
        return Resolution([], [], {})
    codes, names = set(), set()
    for token in wanted:
        if INSEE_RE.match(token):
            codes.add(token.upper())
        match = LABEL_RE.match(token)
        names.add(fold(match["nom"]) if match else fold(token))
    rows = list(
        queryset.annotate(nom_plie=_folded_nom())
        .filter(Q(code_insee__in=codes) | Q(slug__in=[t for t in wanted if SLUG_RE.match(t)]) | Q(nom_plie__in=names))
        .order_by("nom", "code_insee")
    )
    result = Resolution([], [], {})
    for token in wanted:
        match = LABEL_RE.match(token)
        if INSEE_RE.match(token):
            found = [v for v in rows if v.code_insee == token.upper()]
        elif match:
            found = [v for v in rows if v.nom_plie == fold(match["nom"]) and v.departement_code == match["dep"].upper()]
        else:
            by_slug = [v for v in rows if v.slug == token] if SLUG_RE.match(token) else []
            found = by_slug or [v for v in rows if v.nom_plie == fold(token)]
        if len(found) == 1:
            result.by_token[token] = found[0]
            if found[0] not in result.villes:
                result.villes.append(found[0])
        elif found:
            result.ambiguous[token] = found
        else:
            result.unknown.append(token)
    return result


def suggest(*, query: str, user=None, content_key: str | None = None, limit: int = SUGGESTIONS) -> list[dict]:
    """Towns whose name starts with (then contains) what was typed, or whose INSEE code starts
    with it; for a filter, only towns with content ``user`` may see, with its number."""
    text = fold(query)
    if not text:
        return []
    towns = Ville.objects.annotate(nom_plie=_folded_nom())
    if INSEE_RE.match(query.strip()) or query.strip().isdigit():
        towns = towns.filter(code_insee__startswith=query.strip().upper())
    else:
        towns = towns.filter(nom_plie__contains=text)
    towns = towns.annotate(
        debut=Case(When(nom_plie__startswith=text, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    content = town_content(content_key) if content_key else None
    if content is not None:
        of_town = content.content(user).filter(**{content.path: OuterRef("pk")}).order_by()
        counts = of_town.values(content.path).annotate(n=Count("pk")).values("n")
        # Filter on existence (cheap: stops at the first item), count for the 20 towns shown only.
        towns = towns.filter(Exists(of_town)).annotate(nb=Coalesce(Subquery(counts, output_field=IntegerField()), 0))
    towns = towns.order_by("debut", F("population").desc(nulls_last=True), "nom")[:limit]
    return [
        {
            "code": v.code_insee,
            "label": label(v),
            "nom": v.nom,
            "departement": v.departement_code,
            **({"nb": v.nb, "compte": content.noun(v.nb)} if content is not None else {}),
        }
        for v in towns
    ]
