"""Ingestion: fetch a source's feed, de-duplicate its entries, tag them, store them in bulk.

Ingestion never raises for a bad feed: it records the error on the source and backs off.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from reseau_acv.core.recherche import row_texts, texts_from, vector_sql, vocabulary_add

from .. import selectors
from ..dedup import StoryIndex, canonical_url
from ..feeds import FeedError, parse_feed, plain
from ..fetch import FetchError, fetch
from ..matching import TownMatcher, keyword_matcher, title_fingerprint, town_matcher
from ..models import ArticlePresse, Parution, Source
from ..recherche import ARTICLE
from ..recherche import refresh as search_refresh
from .tagging import Tags, article_tag

logger = logging.getLogger(__name__)

INGEST_INTERVAL = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)
STORY_WINDOW = timedelta(days=3)
SUMMARY_MAX = 5000
# A source is collected by one worker at a time. The fetch ends by its deadline
# (PANORAMA_FETCH_TIMEOUT, enforced even against a server that trickles its answer), then
# parsing and writing a feed take seconds: the lock outlasts both by a wide margin.
LOCK_MARGIN_SECONDS = 300


def lock_seconds() -> int:
    """How long a source's collection lock lasts: longer than any fetch, writing included."""
    return int(settings.PANORAMA_FETCH_TIMEOUT) + 1 + LOCK_MARGIN_SECONDS


def _record_failure(source: Source, message: str) -> None:
    now = timezone.now()
    source.echecs_consecutifs += 1
    delay = min(INGEST_INTERVAL * 2 ** (source.echecs_consecutifs - 1), MAX_BACKOFF)
    source.derniere_collecte_le = now
    source.derniere_erreur = message[:2000]
    source.prochaine_collecte_le = now + delay
    source.save(
        update_fields=["echecs_consecutifs", "derniere_collecte_le", "derniere_erreur", "prochaine_collecte_le"]
    )
    logger.info("panorama: source %s en échec (%s)", source.pk, message)


@dataclass
class IngestReport:
    source_id: int
    status: str = "ok"  # ok, unchanged, error, skipped
    entries: int = 0
    created: int = 0
    merged: int = 0
    known: int = 0
    error: str = ""


def _entry_date(entry) -> datetime:
    if isinstance(moment := entry.get("date"), datetime):
        return moment
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime(*parsed[:6], tzinfo=UTC)
    return timezone.now()


class _Ingestion:
    """State shared by the entries of one feed: known links, recent stories, town ids."""

    def __init__(self, source: Source, entries: list, towns: TownMatcher | None = None):
        self.source = source
        self.departements = source.departements_list
        villes = selectors.villes_by_code()
        self.ville_ids = {code: pk for code, (pk, _nom) in villes.items()}
        self.ville_names = dict(villes.values())
        self.theme_names = selectors.theme_names()
        self.towns, self.keywords = towns or town_matcher(), keyword_matcher()
        self.rows = []
        for entry in entries:
            url = (entry.get("link") or "").strip()
            titre = plain(entry.get("title", ""))[:500]
            if not url.startswith(("http://", "https://")) or not titre:
                continue
            self.rows.append((entry, url, canonical_url(url), titre, _entry_date(entry)))
        guids = [str(row[0].get("id") or "")[:500] for row in self.rows]
        self.known_urls, self.known_guids = selectors.known_appearances(
            source=source, canonical_urls=[row[2] for row in self.rows], guids=guids
        )
        if self.rows:
            dates = [row[4] for row in self.rows]
            recent = selectors.story_fingerprints(start=min(dates) - STORY_WINDOW, end=max(dates) + STORY_WINDOW)
            self.stories = StoryIndex(recent)
        else:
            self.stories = StoryIndex([])

    def run(self, report: IngestReport) -> None:
        """Tag and group in memory, then write the whole feed in a few bulk queries, in one transaction."""
        new_articles: list[_NewStory] = []
        merges: dict[int, list[Tags]] = {}
        pending: list[tuple[object, Tags, _Appearance]] = []  # (story key, tags, appearance)
        for entry, url, canon, titre, publie_le in self.rows:
            report.entries += 1
            guid = str(entry.get("id") or "")[:500]
            if canon in self.known_urls or (guid and guid in self.known_guids):
                report.known += 1
                continue
            self.known_urls.add(canon)
            if guid:
                self.known_guids.add(guid)
            resume_flux = plain(entry.get("summary", ""))[:SUMMARY_MAX]
            tags = article_tag(
                titre=titre,
                texte=resume_flux,
                departements=self.departements,
                source_id=self.source.pk,
                towns=self.towns,
                keywords=self.keywords,
            )
            fingerprint = title_fingerprint(titre)
            key = self.stories.find(fingerprint) if fingerprint else None
            if key is None:
                key = ("new", len(new_articles))
                new_articles.append(
                    _NewStory(
                        titre=titre,
                        empreinte=fingerprint,
                        publie_le=publie_le,
                        statut=ArticlePresse.Statut.A_TRIER if tags.matches else ArticlePresse.Statut.HORS_PERIMETRE,
                        motifs=tags.motifs,
                    )
                )
                self.stories.add(key, fingerprint)
                report.created += 1
            else:
                if isinstance(key, tuple):
                    _merge_into(new_articles[key[1]], tags)
                else:
                    merges.setdefault(key, []).append(tags)
                report.merged += 1
            parution = _Appearance(
                source_id=self.source.pk,
                url=url[:1000],
                url_canonique=canon,
                guid=guid,
                titre=titre,
                publie_le=publie_le,
                resume_flux=resume_flux,
            )
            pending.append((key, tags, parution))
        if not pending:
            return
        # Links and search texts gathered in memory: new stories get their whole search vector in
        # their INSERT; stories of earlier feeds that gained an appearance are re-indexed after.
        links: dict[str, set[tuple[object, int]]] = {"villes": set(), "themes": set(), "programmes": set()}
        story_values: list[dict[str, list[str]]] = [
            {"titre": [a.titre], "resume": [a.resume], "parutions__titre": [], "parutions__resume_flux": []}
            for a in new_articles
        ]
        for key, tags, parution in pending:
            ville_ids = [self.ville_ids[c] for c in sorted(tags.villes) if c in self.ville_ids]
            links["villes"].update((key, pk) for pk in ville_ids)
            links["themes"].update((key, t) for t in tags.themes)
            links["programmes"].update((key, p) for p in tags.programmes)
            if isinstance(key, tuple):
                values = story_values[key[1]]
                values["parutions__titre"].append(parution.titre)
                values["parutions__resume_flux"].append(parution.resume_flux)
        for name, path, labels in (
            ("villes", "villes__nom", self.ville_names),
            ("themes", "themes__nom", self.theme_names),
        ):
            for key, pk in sorted(links[name], key=lambda link: (str(link[0]), link[1])):
                if isinstance(key, tuple):
                    story_values[key[1]].setdefault(path, []).append(labels.get(pk, ""))
        texts = [texts_from(ARTICLE, values) for values in story_values]
        with transaction.atomic():
            indexed = _insert_articles(new_articles, texts)
            for article in ArticlePresse.objects.select_for_update().filter(pk__in=list(merges)):
                for tags in merges[article.pk]:
                    _merge_into(article, tags)
                article.save(update_fields=["statut", "motifs", "modifie_le"])
            for _key, _tags, parution in pending:
                parution.article_id = new_articles[_key[1]].pk if isinstance(_key, tuple) else _key
            _insert_appearances([parution for _key, _tags, parution in pending])

            def article_pk(key) -> int:
                return new_articles[key[1]].pk if isinstance(key, tuple) else key

            new = {article.pk for article in new_articles}
            for name, column in (("villes", "ville_id"), ("themes", "theme_id"), ("programmes", "programme_id")):
                pairs = sorted((article_pk(key), pk) for key, pk in links[name])
                _insert_links(getattr(ArticlePresse, name).through, column, pairs, new=new)
            # Title, towns and the feed's text (for matching only) are searched.
            if indexed:
                vocabulary_add({article.pk: text for article, text in zip(new_articles, texts, strict=True)})
                search_refresh(sorted(merges))
            else:
                search_refresh(sorted(new | set(merges)))


# Bulk writes of a whole feed. On PostgreSQL, new rows go through ``COPY`` (ids reserved from the
# sequence first): no model instance and no SQL text per row, which is what made ingestion slow
# (the trigger fills the title and summary; the stories' full search index is then refreshed in one batch).
# Elsewhere, bulk_create.


@dataclass(slots=True)
class _NewStory:
    titre: str
    empreinte: str
    publie_le: datetime
    statut: str
    motifs: list
    resume: str = ""
    visibilite: str = ArticlePresse._meta.get_field("visibilite").default
    pk: int | None = None


@dataclass(slots=True)
class _Appearance:
    source_id: int
    url: str
    url_canonique: str
    guid: str
    titre: str
    publie_le: datetime
    resume_flux: str
    article_id: int | None = None


def _copy(model, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


STAGING = "panorama_ingestion_nouveaux"


def _insert_articles(articles: list[_NewStory], texts: list[dict[str, list[str]]]) -> bool:
    """Insert new stories and set their ids; on PostgreSQL with their search vector (returns True)."""
    if not articles:
        return True
    if connection.vendor != "postgresql":
        fields = ("titre", "empreinte", "publie_le", "statut", "motifs", "resume", "visibilite")
        created = ArticlePresse.objects.bulk_create(
            [ArticlePresse(**{name: getattr(a, name) for name in fields}) for a in articles]
        )
        for story, article in zip(articles, created, strict=True):
            story.pk = article.pk
        return False
    table = ArticlePresse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(articles)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        for article, pk in zip(articles, ids, strict=True):
            article.pk = pk
        # Rows are copied into a temporary table, then inserted with the vector PostgreSQL computes
        # from their texts: each row and its index entries are written once.
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} (id bigint, titre text, empreinte text, publie_le timestamptz, "
            "statut text, motifs jsonb, resume text, visibilite text, a text, b text, c text, d text) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
            for a, text in zip(articles, texts, strict=True):
                copy.write_row(
                    (a.pk, a.titre, a.empreinte, a.publie_le, a.statut, json.dumps(a.motifs), a.resume, a.visibilite)
                    + row_texts(text)
                )
        now = timezone.now()
        cursor.execute(
            f"INSERT INTO {table} (id, cree_le, modifie_le, titre, empreinte, publie_le, statut, motifs, resume, "  # noqa: S608 (our tables)
            f"visibilite, recherche) SELECT n.id, %s, %s, n.titre, n.empreinte, n.publie_le, n.statut, n.motifs, "
            f"n.resume, n.visibilite, {vector_sql('n')} FROM {STAGING} AS n",
            [now, now],
        )
        cursor.execute(f"DROP TABLE {STAGING}")
    return True


def _insert_appearances(parutions: list[_Appearance]) -> None:
    if connection.vendor != "postgresql":
        fields = ("source_id", "url", "url_canonique", "guid", "titre", "publie_le", "resume_flux", "article_id")
        Parution.objects.bulk_create([Parution(**{name: getattr(p, name) for name in fields}) for p in parutions])
        return
    now = timezone.now()
    columns = ["cree_le", "modifie_le", "article_id", "source_id", "url", "url_canonique", "guid", "titre"]
    _copy(
        Parution,
        [*columns, "publie_le", "resume_flux"],
        [
            (now, now, p.article_id, p.source_id, p.url, p.url_canonique, p.guid, p.titre, p.publie_le, p.resume_flux)
            for p in parutions
        ],
    )


def _insert_links(through, column: str, pairs: list[tuple[int, int]], *, new: set[int]) -> None:
    """Link articles to towns, themes or programmes: new articles' links by COPY, others skip existing ones."""
    fresh = [pair for pair in pairs if pair[0] in new]
    others = [pair for pair in pairs if pair[0] not in new]
    if connection.vendor == "postgresql":
        _copy(through, ["articlepresse_id", column], fresh)
    else:
        others += fresh
    if others:
        through.objects.bulk_create(
            [through(articlepresse_id=a, **{column: b}) for a, b in others], ignore_conflicts=True
        )


def _merge_into(article: ArticlePresse | _NewStory, tags: Tags) -> None:
    """A second title's appearance of a story: its matches join the story's."""
    if article.statut == ArticlePresse.Statut.HORS_PERIMETRE and tags.matches:
        article.statut = ArticlePresse.Statut.A_TRIER
    article.motifs = [*article.motifs, *[m for m in tags.motifs if m not in article.motifs]]


def ingest_entries(*, source: Source, entries: list, towns: TownMatcher | None = None) -> IngestReport:
    """Store the entries of a parsed feed: de-duplicated, tagged. Running it twice changes nothing.

    ``towns`` is the town matcher to use (by default the one built from the towns in the database).
    """
    report = IngestReport(source_id=source.pk)
    _Ingestion(source, entries, towns).run(report)
    return report


def ingest_source(*, source_id: int, force: bool = False) -> IngestReport:
    """Fetch one source's feed and store its new entries; a failure is recorded, never raised."""
    report = IngestReport(source_id=source_id)
    lock = f"panorama:ingest:{source_id}"
    if not cache.add(lock, 1, timeout=lock_seconds()):
        report.status = "skipped"
        return report
    try:
        source = selectors.source_to_collect(source_id=source_id)
        if source is None:
            report.status = "skipped"
            return report
        if not force and source.prochaine_collecte_le and source.prochaine_collecte_le > timezone.now():
            report.status = "skipped"
            return report
        try:
            result = fetch(source.url_flux, etag=source.etag, last_modified=source.last_modified)
            if result.status == 304:
                report.status = "unchanged"
            else:
                parsed = parse_feed(result.content, content_type=result.content_type)
                _Ingestion(source, parsed.entries).run(report)
        except (FetchError, FeedError) as exc:
            _record_failure(source, str(exc))
            report.status, report.error = "error", str(exc)
            return report
        except Exception as exc:  # noqa: BLE001 (one bad feed never stops the others; staff see it)
            logger.exception("panorama: ingestion of source %s failed", source_id)
            _record_failure(source, f"Erreur inattendue : {type(exc).__name__}: {exc}")
            report.status, report.error = "error", str(exc)
            return report
        now = timezone.now()
        source.derniere_collecte_le = now
        source.derniere_reussite_le = now
        source.derniere_erreur = ""
        source.echecs_consecutifs = 0
        source.prochaine_collecte_le = None
        fields = ["derniere_collecte_le", "derniere_reussite_le", "derniere_erreur", "echecs_consecutifs"]
        if report.status == "ok":
            source.etag, source.last_modified = result.etag[:255], result.last_modified[:100]
            source.nb_articles = selectors.source_appearance_count(source=source)
            fields += ["etag", "last_modified", "nb_articles"]
        source.save(update_fields=[*fields, "prochaine_collecte_le"])
        return report
    finally:
        cache.delete(lock)
