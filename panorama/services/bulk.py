"""Bulk writes of a feed's new stories, appearances and links, in batches.

On PostgreSQL each batch goes through ``COPY``: no model instance and no SQL text per row. New
stories are copied into a temporary table, then inserted with the search vector PostgreSQL
computes from the texts ingestion holds (each row and its index entries written once); the
vector's pairs of neighbouring words are made in Python when the text allows (``panorama.paires``).
With several batches, a writer thread sends them on the caller's connection — in the caller's
transaction — while the caller tags and groups the next batch: PostgreSQL's work (stemming,
indexes) and Python's then run side by side, on two cores. The writer sets the pace, so the caller
makes every row it sends. Elsewhere (SQLite), ``bulk_create`` in the caller's thread.

A batch names stories by object. On PostgreSQL a new story has its id from the start (a feed's ids
are reserved at once); elsewhere it gets it when its batch is written, and the appearances and
links that follow it in the same batch use it.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils import timezone
from psycopg.pq import TransactionStatus

from reseau_acv.core.recherche.index import CONFIG

from .. import paires
from ..models import ArticlePresse, Parution

STAGING = "panorama_ingestion_nouveaux"
INERROR = TransactionStatus.INERROR
LINKS = {"villes": "ville_id", "themes": "theme_id", "programmes": "programme_id"}


@dataclass(slots=True, eq=False)
class NewStory:
    titre: str
    empreinte: str
    publie_le: datetime
    statut: str
    motifs: list
    resume: str = ""
    visibilite: str = ArticlePresse._meta.get_field("visibilite").default
    pk: int | None = None


@dataclass(slots=True)
class Appearance:
    story: NewStory | int  # a story of this batch, or the id of a stored one
    source_id: int
    url: str
    url_canonique: str
    guid: str
    titre: str
    publie_le: datetime
    resume_flux: str

    @property
    def article_id(self) -> int:
        return self.story if isinstance(self.story, int) else self.story.pk


@dataclass
class Batch:
    stories: list[NewStory] = field(default_factory=list)
    texts: list[tuple[str, str, str, str]] = field(default_factory=list)  # each story's search text, weights A–D
    words: list[list[str] | None] = field(default_factory=list)  # their words (``panorama.paires``)
    pairs: list = field(default_factory=list)  # their pairs of neighbouring words, or None, or LATER
    appearances: list[Appearance] = field(default_factory=list)
    links: dict[str, list[tuple[NewStory, int]]] = field(default_factory=lambda: {name: [] for name in LINKS})
    rows: dict = field(default_factory=dict)  # on PostgreSQL, what each COPY sends, made in the caller's thread


class Writer:
    """Writes batches in order: in a thread beside the caller's (``threaded``), or at once."""

    def __init__(self, *, threaded: bool):
        self.postgresql = connection.vendor == "postgresql"
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="panorama-ecriture") if threaded else None
        self._pending: list[Future] = []
        if self.postgresql:
            # psycopg's connection itself, taken in the caller's thread (Django's wrapper belongs to
            # it): the writer thread's statements run in the caller's transaction, one at a time.
            connection.ensure_connection()
            self._raw = connection.connection
            # Foreign keys (Django makes them deferred to the commit) are checked as each batch is
            # written — beside the tagging of the next one — rather than all at once at the end.
            with self._raw.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self._staging = False  # the staging table, created by the first batch with new stories

    def reserve(self, count: int):
        """On PostgreSQL, ``count`` new story ids taken at once (an iterator; the unused ones are gaps,
        as a sequence has), so that the caller's thread names rows before they are written; else None."""
        if not self.postgresql or not count:
            return None
        with self._raw.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [ArticlePresse._meta.db_table, count],
            )
            return iter([pk for (pk,) in cursor.fetchall()])

    def write(self, batch: Batch) -> None:
        if self.postgresql:
            # The rows to copy, and the pairs of words, are made here, in the caller's thread, which has
            # time to spare: the writer thread, on which the pace depends, only sends them (and learns
            # the stems of words never met).
            batch.words = [paires.tokens(text) for text in batch.texts]
            batch.pairs = [None if words is None else paires.pairs(words) for words in batch.words]
            _rows(batch)
        if self._pool is None:
            self._write(batch)
        else:
            self._pending.append(self._pool.submit(self._write, batch))

    def close(self) -> None:
        """Wait for every batch; the first error is raised here, in the caller's transaction."""
        try:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                for future in self._pending:
                    future.result()
        finally:
            if self.postgresql and self._raw.info.transaction_status != INERROR:
                with self._raw.cursor() as cursor:
                    if self._staging:
                        cursor.execute(f"DROP TABLE {STAGING}")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default, for the rest of the transaction

    def _write(self, batch: Batch) -> None:
        if not self.postgresql:
            _bulk_create(batch)
            return
        with self._raw.cursor() as cursor:
            if batch.stories:
                if not self._staging:
                    cursor.execute(
                        f"CREATE TEMP TABLE {STAGING} (id bigint, titre text, empreinte text, publie_le timestamptz, "
                        "statut text, motifs jsonb, resume text, visibilite text, a text, b text, c text, d text, "
                        "p text) ON COMMIT DROP"
                    )
                    self._staging = True
                _copy_stories(cursor, batch)
            _copy(cursor, Parution._meta.db_table, APPEARANCE_COLUMNS, batch.rows["appearances"])
            for name, column in LINKS.items():
                if batch.rows["links"][name]:
                    through = getattr(ArticlePresse, name).through
                    _copy(cursor, through._meta.db_table, ["articlepresse_id", column], batch.rows["links"][name])


APPEARANCE_COLUMNS = [
    "cree_le",
    "modifie_le",
    "article_id",
    "source_id",
    "url",
    "url_canonique",
    "guid",
    "titre",
    "publie_le",
    "resume_flux",
]


def _rows(batch: Batch) -> None:
    """The batch's rows as each COPY sends them (new stories named by the ids reserved for them)."""
    batch.rows["stories"] = [
        (s.pk, s.titre, s.empreinte, s.publie_le, s.statut, json.dumps(s.motifs), s.resume, s.visibilite, *text, made)
        for s, text, made in zip(batch.stories, batch.texts, batch.pairs, strict=True)
    ]
    now = timezone.now()
    batch.rows["appearances"] = [
        (now, now, p.article_id, p.source_id, p.url, p.url_canonique, p.guid, p.titre, p.publie_le, p.resume_flux)
        for p in batch.appearances
    ]
    batch.rows["links"] = {name: [(story.pk, pk) for story, pk in batch.links[name]] for name in LINKS}


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    names = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


# The weighted vector of a new story, as ``reseau_acv.core.recherche.vector_sql`` writes it, its pairs
# of neighbouring words from Python when they were made there (``panorama.paires``), else from the SQL
# function. A single appearance's title (weight C) is the story's title (weight A): stemmed once.
STORY_VECTOR = f"""
CASE WHEN s.p IS NULL THEN public.recherche_avec_paires(s.v)
     ELSE s.v || array_to_tsvector(string_to_array(s.p, E'\\n')) END
FROM (
  SELECT t.*, setweight(t.va, 'A') || setweight(to_tsvector('{CONFIG}', coalesce(t.b, '')), 'B')
    || setweight(CASE WHEN t.c = t.a THEN t.va ELSE to_tsvector('{CONFIG}', coalesce(t.c, '')) END, 'C')
    || setweight(to_tsvector('{CONFIG}', coalesce(t.d, '')), 'D') AS v
  FROM (SELECT n.*, to_tsvector('{CONFIG}', coalesce(n.a, '')) AS va FROM {STAGING} AS n OFFSET 0) AS t
  OFFSET 0
) AS s"""  # noqa: S608 (our configuration and table)


def _copy_stories(cursor, batch: Batch) -> None:
    rows = batch.rows["stories"]
    later = [i for i, made in enumerate(batch.pairs) if made is paires.LATER]
    if later:
        paires.stems_learn(cursor, [batch.words[i] for i in later])
        for i in later:
            made = paires.pairs(batch.words[i])
            rows[i] = (*rows[i][:-1], None if made is paires.LATER else made)  # forgotten meanwhile: SQL makes them
    with cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    now = timezone.now()
    cursor.execute(
        f"INSERT INTO {ArticlePresse._meta.db_table} (id, cree_le, modifie_le, titre, empreinte, publie_le, "  # noqa: S608 (our tables)
        f"statut, motifs, resume, visibilite, recherche) SELECT s.id, %s, %s, s.titre, s.empreinte, s.publie_le, "
        f"s.statut, s.motifs, s.resume, s.visibilite, {STORY_VECTOR}",
        [now, now],
    )
    cursor.execute(f"DELETE FROM {STAGING}")  # noqa: S608 (our table; a few rows: cheaper than TRUNCATE and its new file)


def _bulk_create(batch: Batch) -> None:
    fields = ("titre", "empreinte", "publie_le", "statut", "motifs", "resume", "visibilite")
    created = ArticlePresse.objects.bulk_create(
        [ArticlePresse(**{name: getattr(s, name) for name in fields}) for s in batch.stories]
    )
    for story, article in zip(batch.stories, created, strict=True):
        story.pk = article.pk
    fields = ("source_id", "url", "url_canonique", "guid", "titre", "publie_le", "resume_flux")
    Parution.objects.bulk_create(
        [Parution(article_id=p.article_id, **{name: getattr(p, name) for name in fields}) for p in batch.appearances]
    )
    for name, column in LINKS.items():
        through = getattr(ArticlePresse, name).through
        through.objects.bulk_create([through(articlepresse_id=s.pk, **{column: pk}) for s, pk in batch.links[name]])


def link_stored(links: dict[str, set[tuple[int, int]]]) -> None:
    """Links of stories stored before this batch: those already there are skipped."""
    for name, column in LINKS.items():
        if links[name]:
            through = getattr(ArticlePresse, name).through
            through.objects.bulk_create(
                [through(articlepresse_id=a, **{column: b}) for a, b in sorted(links[name])], ignore_conflicts=True
            )
