"""Writes of the press panorama: sources, ingestion, curation, rules, editions.

Every function is keyword-only, takes the acting user when a person acts, checks permission,
and runs in a transaction. Ingestion never raises for a bad feed: it records the error on the
source and backs off.
"""

from __future__ import annotations

import csv
import html
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import nh3
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from reseau_acv.core.outbox import outbox_record, render_email
from reseau_acv.core.permissions import require_equipe
from villes.models import Programme, Ville

from .dedup import StoryIndex, canonical_url
from .fetch import FetchError, fetch
from .matching import (
    KeywordMatcher,
    TownMatcher,
    compile_motif,
    keyword_matcher,
    normalise,
    title_fingerprint,
    town_matcher,
)
from .models import AbonnementEdition, ArticlePresse, Edition, Parution, RegleMotCle, Source

logger = logging.getLogger(__name__)

SOURCES_CSV = settings.BASE_DIR / "data" / "reference" / "press_sources_centre_val_de_loire.csv"
INGEST_INTERVAL = timedelta(minutes=30)
MAX_BACKOFF = timedelta(hours=24)
STORY_WINDOW = timedelta(days=3)
SUMMARY_MAX = 5000


_require_equipe = require_equipe


# --- Sources -----------------------------------------------------------------------------------


def sources_import(*, path: Path = SOURCES_CSV) -> int:
    """Create or update the sources listed in the reference CSV; returns how many rows were read."""
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Source.objects.update_or_create(
                nom=row["name"].strip(),
                defaults={
                    "site_web": row["url"].strip(),
                    "url_flux": row["rss_url"].strip(),
                    "departements": row["departements"].strip(),
                    "provenance": row["source"].strip(),
                },
            )
            count += 1
    return count


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


# --- Tagging -----------------------------------------------------------------------------------


@dataclass
class Tags:
    villes: set[str] = field(default_factory=set)  # INSEE codes
    themes: set[int] = field(default_factory=set)
    programmes: set[int] = field(default_factory=set)
    motifs: list[dict] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        """An article enters the panorama when it names a town or a programme."""
        return bool(self.villes or self.programmes)


def article_tag(
    *,
    titre: str,
    texte: str = "",
    departements: list[str],
    towns: TownMatcher | None = None,
    keywords: KeywordMatcher | None = None,
) -> Tags:
    """Towns named in the title (and the feed's summary), themes and programmes from the rules.

    A batch passes the matchers it fetched once (``towns``, ``keywords``); alone, they are looked up.
    """
    towns = towns or town_matcher()
    keywords = keywords or keyword_matcher()
    tags = Tags()
    for mention in towns.find(f"{titre}\n{texte}", departements=departements):
        tags.villes.add(mention.code_insee)
        tags.motifs.append(
            {
                "type": "ville",
                "code": mention.code_insee,
                "nom": mention.nom,
                "texte": mention.texte,
                "raison": mention.raison,
            }
        )
    for rule in keywords.find(f"{titre}\n{texte}"):
        if rule.theme_id:
            tags.themes.add(rule.theme_id)
        if rule.programme_id:
            tags.programmes.add(rule.programme_id)
        tags.motifs.append({"type": "regle", "regle": rule.pk, "texte": rule.motif, "raison": rule.cible})
    return tags


def _apply_tags(article: ArticlePresse, tags: Tags, ville_ids: dict[str, int]) -> None:
    if tags.villes:
        article.villes.add(*[ville_ids[code] for code in tags.villes if code in ville_ids])
    if tags.themes:
        article.themes.add(*tags.themes)
    if tags.programmes:
        article.programmes.add(*tags.programmes)


# --- Ingestion ---------------------------------------------------------------------------------


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
        self.ville_ids = dict(Ville.objects.values_list("code_insee", "pk"))
        self.towns, self.keywords = town_matcher(), keyword_matcher()
        self.rows = []
        for entry in entries:
            url = (entry.get("link") or "").strip()
            titre = _plain(entry.get("title", ""))[:500]
            if not url.startswith(("http://", "https://")) or not titre:
                continue
            self.rows.append((entry, url, canonical_url(url), titre, _entry_date(entry)))
        canon = [row[2] for row in self.rows]
        guids = [str(row[0].get("id") or "")[:500] for row in self.rows]
        self.known_urls = set(Parution.objects.filter(url_canonique__in=canon).values_list("url_canonique", flat=True))
        self.known_guids = set(
            Parution.objects.filter(source=source, guid__in=[g for g in guids if g]).values_list("guid", flat=True)
        )
        if self.rows:
            dates = [row[4] for row in self.rows]
            recent = ArticlePresse.objects.filter(
                publie_le__gte=min(dates) - STORY_WINDOW, publie_le__lte=max(dates) + STORY_WINDOW
            ).values_list("pk", "empreinte")
            self.stories = StoryIndex(list(recent))
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
        source = Source.objects.filter(pk=source_id, actif=True).exclude(url_flux="").first()
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
            source.nb_articles = source.parutions.count()
            fields += ["etag", "last_modified", "nb_articles"]
        source.save(update_fields=[*fields, "prochaine_collecte_le"])
        return report
    finally:
        cache.delete(lock)


def sources_due(*, now: datetime | None = None) -> list[int]:
    """Active sources with a feed whose next collection time has come (failing ones wait longer)."""
    from django.db.models import Q

    now = now or timezone.now()
    return list(
        Source.objects.filter(actif=True)
        .exclude(url_flux="")
        .filter(Q(prochaine_collecte_le__isnull=True) | Q(prochaine_collecte_le__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Curation ----------------------------------------------------------------------------------


def article_review(
    *,
    actor: User,
    article: ArticlePresse,
    keep: bool,
    villes: list[Ville],
    themes: list[Theme],
    resume: str,
    visibilite: str,
) -> ArticlePresse:
    """Keep or discard an article, with the towns, themes and the team's own summary."""
    _require_equipe(actor)
    with transaction.atomic():
        article = ArticlePresse.objects.select_for_update().get(pk=article.pk)
        article.statut = ArticlePresse.Statut.RETENU if keep else ArticlePresse.Statut.ECARTE
        article.resume = resume.strip()
        article.visibilite = visibilite
        article.trie_par = actor
        article.trie_le = timezone.now()
        article.save(update_fields=["statut", "resume", "visibilite", "trie_par", "trie_le", "modifie_le"])
        article.villes.set(villes)
        article.themes.set(themes)
    return article


def article_suggest(*, actor: User, titre: str, source: Source, publie_le: date, url: str) -> ArticlePresse:
    """A member adds an article by hand (paywalled press): it enters the curation queue."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    canon = canonical_url(url)
    with transaction.atomic():
        if Parution.objects.filter(url_canonique=canon).exists():
            raise ValidationError(_("Cet article est déjà dans le panorama."), code="duplicate")
        moment = timezone.make_aware(datetime.combine(publie_le, datetime.min.time()).replace(hour=12))
        tags = article_tag(titre=titre, departements=source.departements_list)
        article = ArticlePresse.objects.create(
            titre=titre.strip()[:500],
            empreinte=title_fingerprint(titre),
            publie_le=moment,
            statut=ArticlePresse.Statut.A_TRIER,
            motifs=[*tags.motifs, {"type": "suggestion", "texte": str(actor), "raison": _("proposé par un membre")}],
            propose_par=actor,
        )
        _apply_tags(
            article, tags, dict(Ville.objects.filter(code_insee__in=tags.villes).values_list("code_insee", "pk"))
        )
        Parution.objects.create(
            article=article, source=source, url=url, url_canonique=canon, titre=article.titre, publie_le=moment
        )
    return article


# --- Keyword rules -----------------------------------------------------------------------------

DEFAULT_RULES: list[tuple[str, str, str]] = [
    # (motif, theme slug, programme code)
    ("OPAH-RU", "habitat", ""),
    ("OPAH", "habitat", ""),
    ("logement*", "habitat", ""),
    ("habitat", "habitat", ""),
    ("Anah", "habitat", ""),
    ("Denormandie", "habitat", ""),
    ("commerce*", "commerce", ""),
    ("commerçant*", "commerce", ""),
    ("boutique*", "commerce", ""),
    ("vitrine*", "commerce", ""),
    ("enseigne*", "commerce", ""),
    ("marché*", "commerce", ""),
    ("halle*", "commerce", ""),
    ("manager de centre-ville", "commerce", ""),
    ("gare*", "mobilite", ""),
    ("navette*", "mobilite", ""),
    ("stationnement", "mobilite", ""),
    ("vélo*", "mobilite", ""),
    ("mobilité*", "mobilite", ""),
    ("piéton*", "espace-public", ""),
    ("quai*", "espace-public", ""),
    ("patrimoine", "espace-public", ""),
    ("réaménag*", "espace-public", ""),
    ("espace public", "espace-public", ""),
    ("espaces publics", "espace-public", ""),
    ("médiathèque", "equipements", ""),
    ("maison de santé", "equipements", ""),
    ("France services", "equipements", ""),
    ("cinéma", "equipements", ""),
    ("tiers-lieu*", "equipements", ""),
    ("chef de projet", "pilotage", ""),
    ("cheffe de projet", "pilotage", ""),
    ("ORT", "pilotage", ""),
    ("plan de relance", "financement", ""),
    ("Banque des Territoires", "financement", ""),
    ("subvention*", "financement", ""),
    ("numérique", "numerique", ""),
    ("fibre", "numerique", ""),
    ("friche*", "transition-ecologique", ""),
    ("renaturation", "transition-ecologique", ""),
    ("végétalis*", "transition-ecologique", ""),
    ("Action Cœur de Ville", "", "acv"),
    ("Cœur de Ville", "", "acv"),
    ("Petites villes de demain", "", "pvd"),
    ("Petite ville de demain", "", "pvd"),
    ("PVD", "", "pvd"),
]


def regles_seed_defaults() -> int:
    """Create the default keyword rules (themes and programmes that exist); returns how many were new."""
    themes = {t.slug: t for t in Theme.objects.all()}
    programmes = {p.code: p for p in Programme.objects.all()}
    created = 0
    for motif, theme_slug, programme_code in DEFAULT_RULES:
        theme = themes.get(theme_slug) if theme_slug else None
        programme = programmes.get(programme_code) if programme_code else None
        if theme is None and programme is None:
            continue
        _rule, new = RegleMotCle.objects.get_or_create(motif=motif, theme=theme, programme=programme)
        created += new
    return created


def _matching_ids(motif: str) -> list[int]:
    """Stored articles whose title the rule matches, newest first (database prefilter, then the rule)."""
    words = normalise(motif).split()
    if not words:
        return []
    pattern = compile_motif(motif)
    candidates = ArticlePresse.objects.order_by("-publie_le")
    if connection.vendor == "postgresql":
        candidates = candidates.filter(titre__unaccent__icontains=words[0])
    return [pk for pk, titre in candidates.values_list("pk", "titre").iterator() if pattern.search(normalise(titre))]


def regle_preview(*, motif: str, limit: int = 20) -> tuple[int, list[ArticlePresse]]:
    """Stored articles a rule would tag, before it is saved: (how many, the newest few)."""
    matched = _matching_ids(motif)
    sample = list(ArticlePresse.objects.filter(pk__in=matched[:limit]).order_by("-publie_le"))
    return len(matched), sample


def regle_save(*, actor: User, motif: str, theme: Theme | None, programme: Programme | None) -> RegleMotCle:
    _require_equipe(actor)
    if not normalise(motif):
        raise ValidationError(_("Le mot-clé est vide."))
    if theme is None and programme is None:
        raise ValidationError(_("Choisissez un thème ou un programme."))
    with transaction.atomic():
        rule, _created = RegleMotCle.objects.get_or_create(motif=motif.strip(), theme=theme, programme=programme)
    return rule


def regle_apply(*, actor: User, regle: RegleMotCle) -> int:
    """Tag the stored articles the rule matches; programme rules bring matching articles into the queue."""
    _require_equipe(actor)
    with transaction.atomic():
        ids = _matching_ids(regle.motif)
        if regle.theme_id:
            through = ArticlePresse.themes.through
            existing = set(
                through.objects.filter(theme_id=regle.theme_id, articlepresse_id__in=ids).values_list(
                    "articlepresse_id", flat=True
                )
            )
            through.objects.bulk_create(
                [through(articlepresse_id=pk, theme_id=regle.theme_id) for pk in ids if pk not in existing]
            )
        if regle.programme_id:
            through = ArticlePresse.programmes.through
            existing = set(
                through.objects.filter(programme_id=regle.programme_id, articlepresse_id__in=ids).values_list(
                    "articlepresse_id", flat=True
                )
            )
            through.objects.bulk_create(
                [through(articlepresse_id=pk, programme_id=regle.programme_id) for pk in ids if pk not in existing]
            )
            ArticlePresse.objects.filter(pk__in=ids, statut=ArticlePresse.Statut.HORS_PERIMETRE).update(
                statut=ArticlePresse.Statut.A_TRIER
            )
    return len(ids)


# --- Editions ----------------------------------------------------------------------------------


def edition_save(
    *,
    actor: User,
    titre: str,
    debut: date,
    fin: date,
    introduction: str,
    visibilite: str,
    edition: Edition | None = None,
) -> Edition:
    """Create or update a draft edition for a period."""
    _require_equipe(actor)
    if fin < debut:
        raise ValidationError(_("La fin de la période précède son début."))
    with transaction.atomic():
        if edition is None:
            edition = Edition(auteur=actor)
        elif edition.statut == Edition.Statut.PUBLIEE:
            raise ValidationError(_("Une édition publiée ne se modifie plus."))
        edition.titre, edition.debut, edition.fin = titre.strip(), debut, fin
        edition.introduction, edition.visibilite = introduction, visibilite
        edition.save()
    return edition


def edition_candidates(*, edition: Edition):
    """The kept articles of the edition's period, at its visibility level or below."""
    start = timezone.make_aware(datetime.combine(edition.debut, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(edition.fin + timedelta(days=1), datetime.min.time()))
    return ArticlePresse.objects.kept().filter(
        publie_le__gte=start, publie_le__lt=end, visibilite__in=edition.article_levels()
    )


def edition_publish(*, actor: User, edition: Edition) -> Edition:
    """Publish: freeze the period's kept articles, then e-mail the subscribers (once each)."""
    from .tasks import edition_send_task

    _require_equipe(actor)
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.statut == Edition.Statut.PUBLIEE:
            return edition
        articles = list(edition_candidates(edition=edition))
        if not articles:
            raise ValidationError(_("Aucun article retenu sur cette période : rien à publier."))
        edition.articles.set(articles)
        edition.statut = Edition.Statut.PUBLIEE
        edition.publiee_le = timezone.now()
        edition.save(update_fields=["statut", "publiee_le", "modifie_le"])
        edition_send_task.delay_on_commit(edition_id=edition.pk)
    return edition


def edition_recipients(*, edition: Edition):
    return (
        User.objects.able_to_see(edition.visibilite)
        .filter(abonnement_panorama__actif=True)
        .exclude(email="")
        .order_by("pk")
    )


def edition_send(*, edition_id: int) -> int:
    """Record the edition's e-mail for each subscriber who may see it; a second run adds nothing."""
    from . import selectors

    edition = Edition.objects.filter(pk=edition_id, statut=Edition.Statut.PUBLIEE).first()
    if edition is None:
        return 0
    groups = selectors.edition_groups(edition=edition, user=None, levels=edition.article_levels())
    email = render_email("panorama/edition", {"edition": edition, "groups": groups})
    created = 0
    with transaction.atomic():
        for user in edition_recipients(edition=edition):
            _message, new = outbox_record(purpose="panorama.edition", obj=edition.pk, to=user.email, email=email)
            created += new
    return created


def abonnement_set(*, actor: User, actif: bool) -> AbonnementEdition:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    abonnement, _created = AbonnementEdition.objects.update_or_create(membre=actor, defaults={"actif": actif})
    return abonnement
