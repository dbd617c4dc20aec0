"""Ingestion: fetch a source's feed, de-duplicate its entries, tag them, store them in bulk.

Ingestion never raises for a bad feed: it records the error on the source and backs off.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import nh3
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .. import selectors
from ..dedup import StoryIndex, canonical_url
from ..fetch import FetchError, fetch
from ..matching import keyword_matcher, title_fingerprint, town_matcher
from ..models import ArticlePresse, Parution, Source
from .tagging import Tags, article_tag

logger = logging.getLogger(__name__)

INGEST_INTERVAL = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)
STORY_WINDOW = timedelta(days=3)
SUMMARY_MAX = 5000


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


def _plain(text: str) -> str:
    return " ".join(html.unescape(nh3.clean(text or "", tags=set())).split())


def _entry_date(entry) -> datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime(*parsed[:6], tzinfo=UTC)
    return timezone.now()


class _Ingestion:
    """State shared by the entries of one feed: known links, recent stories, town ids."""

    def __init__(self, source: Source, entries: list):
        self.source = source
        self.departements = source.departements_list
        self.ville_ids = selectors.ville_ids_by_code()
        self.towns, self.keywords = town_matcher(), keyword_matcher()
        self.rows = []
        for entry in entries:
            url = (entry.get("link") or "").strip()
            titre = _plain(entry.get("title", ""))[:500]
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
        new_articles: list[ArticlePresse] = []
        merges: dict[int, list[Tags]] = {}
        pending: list[tuple[object, Tags, Parution]] = []  # (story key, tags, appearance)
        for entry, url, canon, titre, publie_le in self.rows:
            report.entries += 1
            guid = str(entry.get("id") or "")[:500]
            if canon in self.known_urls or (guid and guid in self.known_guids):
                report.known += 1
                continue
            self.known_urls.add(canon)
            if guid:
                self.known_guids.add(guid)
            resume_flux = _plain(entry.get("summary", ""))[:SUMMARY_MAX]
            tags = article_tag(
                titre=titre, texte=resume_flux, departements=self.departements, towns=self.towns, keywords=self.keywords
            )
            fingerprint = title_fingerprint(titre)
            key = self.stories.find(fingerprint) if fingerprint else None
            if key is None:
                key = ("new", len(new_articles))
                new_articles.append(
                    ArticlePresse(
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
            parution = Parution(
                source=self.source,
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
        with transaction.atomic():
            ArticlePresse.objects.bulk_create(new_articles)
            for article in ArticlePresse.objects.select_for_update().filter(pk__in=list(merges)):
                for tags in merges[article.pk]:
                    _merge_into(article, tags)
                article.save(update_fields=["statut", "motifs", "modifie_le"])
            links: dict[str, set[tuple[int, int]]] = {"villes": set(), "themes": set(), "programmes": set()}
            for key, tags, parution in pending:
                article_pk = new_articles[key[1]].pk if isinstance(key, tuple) else key
                parution.article_id = article_pk
                links["villes"].update((article_pk, self.ville_ids[c]) for c in tags.villes if c in self.ville_ids)
                links["themes"].update((article_pk, t) for t in tags.themes)
                links["programmes"].update((article_pk, p) for p in tags.programmes)
            Parution.objects.bulk_create([parution for _key, _tags, parution in pending])
            for name, column in (("villes", "ville_id"), ("themes", "theme_id"), ("programmes", "programme_id")):
                through = getattr(ArticlePresse, name).through
                through.objects.bulk_create(
                    [through(articlepresse_id=a, **{column: b}) for a, b in sorted(links[name])], ignore_conflicts=True
                )


def _merge_into(article: ArticlePresse, tags: Tags) -> None:
    """A second title's appearance of a story: its matches join the story's."""
    if article.statut == ArticlePresse.Statut.HORS_PERIMETRE and tags.matches:
        article.statut = ArticlePresse.Statut.A_TRIER
    article.motifs = [*article.motifs, *[m for m in tags.motifs if m not in article.motifs]]


def ingest_entries(*, source: Source, entries: list) -> IngestReport:
    """Store the entries of a parsed feed: de-duplicated, tagged. Running it twice changes nothing."""
    report = IngestReport(source_id=source.pk)
    _Ingestion(source, entries).run(report)
    return report


def ingest_source(*, source_id: int, force: bool = False) -> IngestReport:
    """Fetch one source's feed and store its new entries; a failure is recorded, never raised."""
    report = IngestReport(source_id=source_id)
    lock = f"panorama:ingest:{source_id}"
    if not cache.add(lock, 1, timeout=int(settings.PANORAMA_FETCH_TIMEOUT) + 120):
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
                parsed = feedparser.parse(result.content)
                problem = parsed.get("bozo_exception")
                if parsed.bozo and not isinstance(problem, feedparser.CharacterEncodingOverride):
                    raise FetchError(f"Flux mal formé : {problem}"[:500])
                if not parsed.entries and not parsed.feed:
                    raise FetchError("Flux vide ou illisible.")
                _Ingestion(source, list(parsed.entries)).run(report)
        except FetchError as exc:
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
