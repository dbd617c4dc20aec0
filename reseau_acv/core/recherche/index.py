"""What each app indexes, and how the index is kept current.

An app declares an ``Index`` in its own ``recherche.py``: the model, its weighted fields
(``A`` the title, highest; ``B`` summaries, towns, themes; ``C`` bodies; ``D`` what only helps to
match, such as a press feed's text, never shown), the date that orders and facets it, the fields
an excerpt is drawn from, and the paths of its theme and town facets. Fields may follow
relations (``villes__nom``, ``messages__corps``) with a condition (answers not hidden).

``index_refresh(index, ids)`` rebuilds the rows' index after a write, in constant queries per
batch: on PostgreSQL a weighted ``tsvector`` (column ``recherche``, GIN-indexed, French
configuration without accents, with the pairs of neighbouring words: see the note below); on
SQLite an FTS5 table (``<table>_fts``, columns a–d) holding the stems computed in Python. The words of titles and summaries also feed the vocabulary that
typo tolerance suggests from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q

from .texte import STOP_WORDS, stems, words

CONFIG = "public.french_unaccent"

# A phrase (« logements vacants », an expression of the thesaurus) is found through the GIN index
# alone: each vector also holds, as lexemes without position, the pairs of neighbouring words
# (« ~log vac » — the tilde, which no word begins with, keeps a prefix search from reaching them),
# and a phrase is asked as the conjunction of its pairs. Without them, PostgreSQL finds the rows
# holding every word of the phrase through the index, then reads each one to check the positions
# — tens of thousands of rows for common words. Neighbours are the successive words that carry
# meaning (a stop word between them does not count, as on SQLite, where stop words are not
# indexed); a hyphenated compound (« centre-ville ») counts by its parts. The SQL functions
# ``recherche_avec_paires(tsvector)`` and ``recherche_phrase(text)`` come from core's migration
# 0007.
WEIGHTS = "ABCD"
BATCH = 500
VOCABULARY_MIN = 4


@dataclass(frozen=True)
class Champ:
    path: str
    poids: str  # A, B, C or D
    condition: Q | None = None


@dataclass(frozen=True)
class Index:
    model: type
    champs: tuple[Champ, ...]
    date: str  # the field that gives a result's date (freshness, year facet, sort by date)
    extrait: tuple[str, ...] = ()  # fields an excerpt is drawn from (never a « D » field)
    themes: str | None = None  # path to Theme, for the theme facet
    villes: str | None = None  # path to Ville, for the town facet
    titre: str = "titre"
    extra: dict = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"


def texts_of(index: Index, ids: list[int], *, using: str) -> dict[int, dict[str, list[str]]]:
    """Each row's text per weight, read in one query per field."""
    texts: dict[int, dict[str, list[str]]] = {pk: defaultdict(list) for pk in ids}
    manager = index.model._base_manager.using(using)
    for champ in index.champs:
        queryset = manager.filter(pk__in=ids)
        if champ.condition is not None:
            queryset = queryset.filter(champ.condition)
        for pk, value in queryset.values_list("pk", champ.path):
            if value:
                texts[pk][champ.poids].append(str(value))
    return texts


def texts_from(index: Index, values: dict[str, Iterable[str]]) -> dict[str, list[str]]:
    """One row's text per weight from its fields' values already in memory (``{path: [values]}``).

    For a writer that inserts many rows and computes their vector in the same statement (see
    :func:`vector_sql`) instead of reading them back; the weights come from the index's declaration."""
    texts: dict[str, list[str]] = defaultdict(list)
    for champ in index.champs:
        texts[champ.poids].extend(str(value) for value in values.get(champ.path, ()) if value)
    return texts


def vector_sql(alias: str) -> str:
    """The PostgreSQL expression of the weighted vector from text columns ``alias.a`` … ``alias.d``,
    with the pairs of neighbouring words."""
    weighted = " || ".join(
        f"setweight(to_tsvector('{CONFIG}', coalesce({alias}.{w.lower()}, '')), '{w}')" for w in WEIGHTS
    )
    return f"public.recherche_avec_paires({weighted})"


def row_texts(texts: dict[str, list[str]]) -> tuple[str, str, str, str]:
    """The four texts (weights A to D) of one row, as the vector's columns take them."""
    return tuple(" ".join(texts.get(w, [])).replace("\x00", " ") for w in WEIGHTS)  # type: ignore[return-value]


def sqlite_create_table(index: Index, *, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {index.fts_table} USING fts5(a, b, c, d)")


def index_refresh(index: Index, ids: Iterable[int] | None = None, *, using: str = "default") -> int:
    """Rebuild the search index of these rows (all rows with ``ids=None``). Returns how many."""
    if ids is None:
        ids = index.model._base_manager.using(using).values_list("pk", flat=True).order_by("pk")
    ids = list(ids)
    vendor = connections[using].vendor
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        texts = texts_of(index, batch, using=using)
        if vendor == "postgresql":
            _postgresql_write(index, texts, using=using)
        elif vendor == "sqlite":
            _sqlite_write(index, texts, using=using)
        vocabulary_add(texts, using=using)
    return len(ids)


def _postgresql_write(index: Index, texts: dict, *, using: str) -> None:
    rows, params = [], []
    for pk, parts in texts.items():
        rows.append("(%s, %s, %s, %s, %s)")
        params += [pk, *row_texts(parts)]
    if not rows:
        return
    sql = (
        f"UPDATE {index.table} AS t SET recherche = {vector_sql('v')} "  # noqa: S608 (table and weights are ours)
        f"FROM (VALUES {', '.join(rows)}) AS v(id, a, b, c, d) WHERE t.id = v.id"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)


def _sqlite_write(index: Index, texts: dict, *, using: str) -> None:
    sqlite_create_table(index, using=using)
    ids = list(texts)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {index.fts_table} WHERE rowid IN ({', '.join('%s' for _ in ids)})",  # noqa: S608 (ours)
            ids,
        )
        cursor.executemany(
            f"INSERT INTO {index.fts_table} (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608 (ours)
            [(pk, *(" ".join(stems(" ".join(parts.get(w, [])))) for w in WEIGHTS)) for pk, parts in texts.items()],
        )


def sqlite_forget(index: Index, ids: Iterable[int], *, using: str = "default") -> None:
    """Drop deleted rows from the FTS table (PostgreSQL deletes the row and its vector together)."""
    if connections[using].vendor != "sqlite":
        return
    ids = list(ids)
    sqlite_create_table(index, using=using)
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.fts_table} WHERE rowid IN ({', '.join('%s' for _ in ids)})", ids)  # noqa: S608


def vocabulary_add(texts: dict, *, using: str = "default") -> None:
    """The words of titles and summaries (weights A and B) become known to typo tolerance.

    ``texts`` holds each row's text per weight (``{pk: {"A": [...], ...}}``)."""
    from ..models import MotIndexe

    found = set()
    for parts in texts.values():
        for weight in "AB":
            for word in words(" ".join(parts.get(weight, []))):
                if len(word) >= VOCABULARY_MIN and word not in STOP_WORDS and not word.isdigit() and len(word) <= 40:
                    found.add(word)
    if found:
        MotIndexe.objects.using(using).bulk_create(
            [MotIndexe(mot=word) for word in sorted(found)], ignore_conflicts=True, batch_size=1000
        )
