"""Ingestion: fetch a source's feed, de-duplicate its entries, tag them, store them in bulk.

Ingestion never raises for a bad feed: it records the error on the source and backs off.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from reseau_acv.core.recherche import row_texts, texts_from, vocabulary_add

from .. import selectors
from ..dedup import StoryIndex, canonical_url
from ..feeds import FeedError, parse_feed, plain
from ..fetch import FetchError, fetch
from ..matching import TownMatcher, keyword_matcher, read_fingerprint, town_matcher
from ..models import ArticlePresse, Source
from ..recherche import ARTICLE
from ..recherche import refresh as search_refresh
from ..text import read
from .bulk import LINKS, Appearance, Batch, NewStory, Writer, link_stored
from .tagging import Tags, article_tag

logger = logging.getLogger(__name__)

INGEST_INTERVAL = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)
STORY_WINDOW = timedelta(days=3)
SUMMARY_MAX = 5000
BATCH = 500  # entries tagged, then written, at a time (the next batch is tagged while one is written)
# A source is collected by one worker at a time. The fetch ends by its deadline
# (PANORAMA_FETCH_TIMEOUT, enforced even against a server that trickles its answer), then
# parsing and writing a feed take seconds: the lock outlasts both by a wide margin.
LOCK_MARGIN_SECONDS = 300


def lock_seconds() -> int:
    """How long a source's collection lock lasts: longer than any fetch, writing included."""
    return int(settings.PANORAMA_FETCH_TIMEOUT) + 1 + LOCK_MARGIN_SECONDS


_feed_mode = {"depth": 0, "collector": False, "switch": 0.005}
_feed_mode_lock = threading.Lock()
HANDOVER = 0.0005  # seconds a thread waiting for the interpreter waits at most while a feed is read


@contextmanager
def feed_mode():
    """Python tuned while a feed is parsed and stored, then as it was.

    - The cycle collector is paused: reading a feed makes hundreds of thousands of short-lived objects
      (entries, tags, stories, rows to copy) and no reference cycles to speak of; the collector would
      scan them some 250 times per 5,000 entries to find nothing. Objects are still freed as soon as
      they are no longer used.
    - Threads hand the interpreter over within half a millisecond instead of five: the writer thread,
      back from each statement, otherwise waits up to 5 ms while the caller tags the next batch, and
      PostgreSQL idles meanwhile (about ten statements per batch).

    Nested or concurrent uses (threads) restore both once, at the end of the last one."""
    with _feed_mode_lock:
        if _feed_mode["depth"] == 0:
            _feed_mode["collector"] = gc.isenabled()
            _feed_mode["switch"] = sys.getswitchinterval()
            gc.disable()
            sys.setswitchinterval(min(HANDOVER, _feed_mode["switch"]))
        _feed_mode["depth"] += 1
    try:
        yield
    finally:
        with _feed_mode_lock:
            _feed_mode["depth"] -= 1
            if _feed_mode["depth"] == 0:
                sys.setswitchinterval(_feed_mode["switch"])
                if _feed_mode["collector"]:
                    gc.enable()


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
        """Tag and group in memory a batch at a time, each batch written in a few bulk statements
        (beside the tagging of the next one), the whole feed in one transaction."""
        candidates = []
        for entry, url, canon, titre, publie_le in self.rows:
            report.entries += 1
            guid = str(entry.get("id") or "")[:500]
            if canon in self.known_urls or (guid and guid in self.known_guids):
                report.known += 1
                continue
            self.known_urls.add(canon)
            if guid:
                self.known_guids.add(guid)
            candidates.append((entry, url, canon, guid, titre, publie_le))
        if not candidates:
            return
        self.late: dict[NewStory | int, list[Tags]] = {}  # stories written before: the tags they gain
        self.stored_links: dict[str, set[tuple[NewStory | int, int]]] = {name: set() for name in LINKS}
        self.indexed: list[tuple[NewStory, dict[str, list[str]]]] = []
        with transaction.atomic():
            writer = Writer(threaded=connection.vendor == "postgresql" and len(candidates) > BATCH)
            self.ids = writer.reserve(len(candidates))  # at most one new story per entry
            try:
                for start, end in _batches(len(candidates)):
                    writer.write(self._batch(candidates[start:end], report))
            finally:
                writer.close()
            merges: dict[int, list[Tags]] = {}
            for story, tags in self.late.items():
                merges.setdefault(story if isinstance(story, int) else story.pk, []).extend(tags)
            for article in ArticlePresse.objects.select_for_update().filter(pk__in=list(merges)):
                for tags in merges[article.pk]:
                    _merge_into(article, tags)
                article.save(update_fields=["statut", "motifs", "modifie_le"])
            link_stored(
                {
                    name: {(story if isinstance(story, int) else story.pk, pk) for story, pk in pairs}
                    for name, pairs in self.stored_links.items()
                }
            )
            # Title, towns, themes and the feed's text (for matching only) are searched.
            if writer.postgresql:  # the new stories' vectors were written with them
                vocabulary_add(_distinct_words(self.indexed))
                search_refresh(sorted(merges))
            else:
                search_refresh(sorted({*(story.pk for story, _texts in self.indexed), *merges}))

    def _batch(self, candidates: list, report: IngestReport) -> Batch:
        """Tag, group and prepare a batch of entries; its new stories carry their search texts."""
        batch = Batch()
        own: dict[NewStory, dict[str, set[int]]] = {}  # this batch's new stories → their links
        values: dict[NewStory, dict[str, list[str]]] = {}
        for entry, url, canon, guid, titre, publie_le in candidates:
            resume_flux = plain(entry.get("summary", ""))[:SUMMARY_MAX]
            words = read(f"{titre}\n{resume_flux}")  # read once: both matchers, then the fingerprint
            tags = article_tag(
                titre=titre,
                texte=resume_flux,
                departements=self.departements,
                source_id=self.source.pk,
                towns=self.towns,
                keywords=self.keywords,
                words=words,
            )
            fingerprint = read_fingerprint(words)  # the title is one line (``plain``)
            story = self.stories.find(fingerprint) if fingerprint else None
            if story is None:
                story = NewStory(
                    titre=titre,
                    empreinte=fingerprint,
                    publie_le=publie_le,
                    statut=ArticlePresse.Statut.A_TRIER if tags.matches else ArticlePresse.Statut.HORS_PERIMETRE,
                    motifs=tags.motifs,
                    pk=None if self.ids is None else next(self.ids),
                )
                batch.stories.append(story)
                self.stories.add(story, fingerprint)
                own[story] = {name: set() for name in LINKS}
                values[story] = {"titre": [titre], "resume": [story.resume]}
                report.created += 1
            else:
                report.merged += 1
                if story in own:
                    _merge_into(story, tags)
                else:
                    self.late.setdefault(story, []).append(tags)
            batch.appearances.append(
                Appearance(
                    story=story,
                    source_id=self.source.pk,
                    url=url[:1000],
                    url_canonique=canon,
                    guid=guid,
                    titre=titre,
                    publie_le=publie_le,
                    resume_flux=resume_flux,
                )
            )
            ids = {
                "villes": [self.ville_ids[code] for code in tags.villes if code in self.ville_ids],
                "themes": tags.themes,
                "programmes": tags.programmes,
            }
            if story in own:
                for name, pks in ids.items():
                    own[story][name].update(pks)
                values[story].setdefault("parutions__titre", []).append(titre)
                values[story].setdefault("parutions__resume_flux", []).append(resume_flux)
            else:
                for name, pks in ids.items():
                    self.stored_links[name].update((story, pk) for pk in pks)
        for story in batch.stories:
            links = own[story]
            for name in LINKS:
                batch.links[name].extend((story, pk) for pk in sorted(links[name]))
            values[story]["villes__nom"] = [self.ville_names[pk] for pk in sorted(links["villes"])]
            values[story]["themes__nom"] = [self.theme_names.get(pk, "") for pk in sorted(links["themes"])]
            texts = texts_from(ARTICLE, values[story])
            batch.texts.append(row_texts(texts))
            self.indexed.append((story, texts))
        return batch


def _batches(count: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each batch: ``BATCH`` entries; when a writer thread writes them (more than one
    batch), the last ones halve down to a fifth of it — the caller waits for the last batch to be
    written, the smaller it is the sooner."""
    if count <= BATCH:
        return [(0, count)] if count else []
    bounds, start = [], 0
    while count - start > BATCH:
        bounds.append((start, start + BATCH))
        start += BATCH
    while count - start > max(BATCH // 5, 1):
        size = (count - start + 1) // 2
        bounds.append((start, start + size))
        start += size
    if start < count:
        bounds.append((start, count))
    return bounds


def _distinct_words(indexed: list[tuple[NewStory, dict[str, list[str]]]]) -> dict[int, dict[str, list[str]]]:
    """The titles' and summaries' (weights A and B) distinct words as one text, for the vocabulary, which
    keeps words, not rows: feeds repeat theirs from title to title, each is folded once."""
    chunks: set[str] = set()
    for _story, texts in indexed:
        for weight in "AB":
            for text in texts.get(weight, ()):
                chunks.update(text.split())
    return {0: {"A": [" ".join(chunks)]}}


def _merge_into(article: ArticlePresse | NewStory, tags: Tags) -> None:
    """A second title's appearance of a story: its matches join the story's."""
    if article.statut == ArticlePresse.Statut.HORS_PERIMETRE and tags.matches:
        article.statut = ArticlePresse.Statut.A_TRIER
    article.motifs = [*article.motifs, *[m for m in tags.motifs if m not in article.motifs]]


def ingest_entries(*, source: Source, entries: list, towns: TownMatcher | None = None) -> IngestReport:
    """Store the entries of a parsed feed: de-duplicated, tagged. Running it twice changes nothing.

    ``towns`` is the town matcher to use (by default the one built from the towns in the database).
    """
    report = IngestReport(source_id=source.pk)
    with feed_mode():
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
                with feed_mode():
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
