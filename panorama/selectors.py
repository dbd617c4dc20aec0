"""Reads of the press panorama, scoped with ``visible_to`` and prefetched (fixed query counts)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.recherche import Recherche, excerpt, in_order, rechercher
from reseau_acv.core.recherche.moteur import holding_all
from reseau_acv.core.visibility import ORDER, levels_for
from villes.models import Ville

from .matching import compile_motif, normalise
from .models import ArticlePresse, Edition, EditionArticle, Parution, Source
from .recherche import ARTICLE


def _with_references(queryset: QuerySet[ArticlePresse]) -> QuerySet[ArticlePresse]:
    """What a reference shows: towns, themes and each title's link (never the feed's text)."""
    return queryset.prefetch_related(
        Prefetch("villes", queryset=Ville.objects.order_by("nom").only("pk", "nom", "slug")),
        Prefetch("themes", queryset=Theme.objects.order_by("ordre").only("pk", "nom", "nom_court", "slug", "ordre")),
        Prefetch(
            "parutions",
            queryset=Parution.objects.select_related("source").defer("resume_flux").order_by("publie_le", "pk"),
        ),
    )


def articles_panorama(*, user) -> QuerySet[ArticlePresse]:
    """The kept articles this user may see, newest first."""
    return _with_references(ArticlePresse.objects.visible_to(user).kept()).order_by("-publie_le", "-pk")


@dataclass
class ArticlesTrouves:
    queryset: QuerySet[ArticlePresse]
    recherche: Recherche


def articles_search(*, queryset: QuerySet[ArticlePresse], text: str, sort: str = "pertinence") -> ArticlesTrouves:
    """Press articles for a query, ranked by the platform's engine (relevance, or newest first)."""
    found = rechercher(queryset, ARTICLE, text, sort=sort, elargir=True)
    return ArticlesTrouves(in_order(queryset, found.resultats.ids), found)


def with_excerpts(articles: list[ArticlePresse], *, recherche: Recherche) -> list[ArticlePresse]:
    """The team's summary with the searched words marked (never the feed's text: press law)."""
    for article in articles:
        article.extrait = excerpt(article.resume, recherche.requete, length=60) if article.resume else ""
    return articles


class ArticlePaginator(Paginator):
    """Pages of a scoped, ordered article list that stay fast however deep: the page's ids are
    found first from the index alone (OFFSET skips narrow index entries, not whole rows), then
    only those rows are read with their references, in the same query and the same order."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        ids = queryset.values("pk")[bottom:top]
        rows = _with_references(ArticlePresse.objects.filter(pk__in=ids)).order_by(*queryset.query.order_by)
        return self._get_page(rows, number, self)


def article_detail_queryset() -> QuerySet[ArticlePresse]:
    """An article with its references; the caller scopes it with ``visible_to``."""
    return _with_references(ArticlePresse.objects.select_related("propose_par", "trie_par"))


def curation_queue(*, ville: Ville | None = None, theme: Theme | None = None, source: Source | None = None):
    """Articles waiting for staff, oldest first, optionally of one town, theme or source."""
    queryset = ArticlePresse.objects.queue()
    if ville is not None:
        queryset = queryset.filter(villes=ville)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    if source is not None:
        queryset = queryset.filter(pk__in=Parution.objects.filter(source=source).values("article_id"))
    return queryset.order_by("publie_le", "pk")


class CurationPaginator(Paginator):
    """A page of the curation queue: ids first, then those articles with their references and who suggested them."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = _with_references(ArticlePresse.objects.filter(pk__in=ids).select_related("propose_par"))
        return self._get_page(list(rows.order_by("publie_le", "pk")), number, self)


CURATION_CHOICES = 50  # at most this many sources in the curation filter
CURATION_SOURCES_KEY = "panorama:tri:sources"
CURATION_SOURCES_SECONDS = 300


def curation_filter_choices() -> dict:
    """The sources with articles waiting (the 50 with the most) and every theme, for the filters (towns: the picker).

    Ranking the sources counts the appearances of every waiting article (~150 ms for 10,000 at
    national scale): the ranking is kept for five minutes, a filter's choices, not a figure."""
    sources = cache.get(CURATION_SOURCES_KEY)
    if sources is None:
        waiting = ArticlePresse.objects.queue()
        ranked = (
            Source.objects.filter(parutions__article__in=waiting)
            .annotate(n=Count("parutions"))
            .order_by("-n", "nom")
            .values_list("pk", "nom")[:CURATION_CHOICES]
        )
        sources = sorted(ranked, key=lambda source: source[1])
        cache.set(CURATION_SOURCES_KEY, sources, CURATION_SOURCES_SECONDS)
    return {
        "sources": [Source(pk=pk, nom=nom) for pk, nom in sources],
        "themes": list(Theme.objects.order_by("ordre").only("pk", "nom", "slug")),
    }


def articles_waiting(*, ids) -> QuerySet[ArticlePresse]:
    """Of these articles, those still waiting to be sorted."""
    return ArticlePresse.objects.queue().filter(pk__in=list(ids))


def editions_list(*, user) -> QuerySet[Edition]:
    """The editions the user may see, newest first, each with its number of articles: counted by a
    subquery for the page's editions only (a ``Count`` join grouped every edition's articles first)."""
    counted = (
        EditionArticle.objects.filter(edition=OuterRef("pk"))
        .order_by()
        .values("edition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Edition.objects.visible_to(user)
        .annotate(nb_articles=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .order_by("-debut", "-pk")
    )


@dataclass
class Section:
    """A group of an edition: one town or one theme (``objet``), or the articles that name none."""

    key: tuple
    objet: Ville | Theme | None
    regroupement: str
    articles: list[ArticlePresse] = field(default_factory=list)

    @property
    def titre(self) -> str:
        if self.objet is not None:
            return self.objet.nom
        if self.regroupement == Edition.Regroupement.VILLE:
            return _("Le réseau et les programmes")
        return _("Autres sujets")

    @property
    def slug(self) -> str:
        return f"{self.key[0]}-{self.key[1] or 'autres'}"


def section_key(article: ArticlePresse, regroupement: str) -> tuple[tuple, Ville | Theme | None]:
    """Where an article goes in an edition: under its first town (by name) or its first theme — once."""
    if regroupement == Edition.Regroupement.THEME:
        themes = sorted(_rubriques(article, "themes"), key=lambda t: (t.ordre, t.nom))
        return (("theme", themes[0].pk if themes else None), themes[0] if themes else None)
    villes = sorted(_rubriques(article, "villes"), key=lambda v: v.nom)
    return (("ville", villes[0].pk if villes else None), villes[0] if villes else None)


def _rubriques(article: ArticlePresse, relation: str) -> list:
    """The towns or themes an edition groups the article under (read by ``_edition_rows``, or prefetched)."""
    rubriques = getattr(article, "rubriques", None)
    return rubriques if rubriques is not None else list(getattr(article, relation).all())


def group_sections(articles: list[ArticlePresse], regroupement: str) -> list[Section]:
    """Articles in the staff's order, grouped; a group comes where its first article is. Each article once."""
    sections: dict[tuple, Section] = {}
    for article in articles:
        key, objet = section_key(article, regroupement)
        if key not in sections:
            sections[key] = Section(key, objet, regroupement)
        sections[key].articles.append(article)
    return list(sections.values())


def edition_articles(
    *, edition: Edition, levels: list[str] | None = None, references: bool = False
) -> list[ArticlePresse]:
    """The edition's articles in the staff's order: kept, at the edition's level or below (or ``levels``).

    What an edition shows of each (the web page, the PDF, the e-mail): its title, summary, date and
    sources, under its town or theme — so only those are read (an edition of 40 articles read whole
    rows, towns and themes: most of its page's time). ``references``: each article's towns and
    themes too (the staff's composing page lists them)."""
    levels = levels if levels is not None else edition.article_levels()
    queryset = (
        ArticlePresse.objects.kept()
        .filter(choix_editions__edition=edition, visibilite__in=levels)
        .order_by("choix_editions__ordre", "pk")
    )
    if references:
        articles = list(_with_references(queryset))
        for article in articles:
            article.parutions_vues = list(article.parutions.all())
        return articles
    articles = list(queryset.only("pk", "titre", "resume", "publie_le", "statut", "visibilite"))
    _edition_rows(articles, edition.regroupement)
    return articles


def _edition_rows(articles: list[ArticlePresse], regroupement: str) -> None:
    """Give each article what an edition shows of it, in two queries for the whole edition:
    ``parutions_vues`` (its appearances with their source's name) and ``rubriques`` (its towns, or
    its themes, to group it by). A prefetch would build two related managers per article: most of
    the page's time for an edition of 40 articles."""
    ids = [article.pk for article in articles]
    parutions: dict[int, list[Parution]] = {pk: [] for pk in ids}
    shown = Parution.objects.filter(article_id__in=ids).select_related("source")
    for parution in shown.only("article", "url", "publie_le", "source__nom").order_by("publie_le", "pk"):
        parutions[parution.article_id].append(parution)
    rubriques: dict[int, list] = {pk: [] for pk in ids}
    if regroupement == Edition.Regroupement.THEME:
        links = ArticlePresse.themes.through.objects.filter(articlepresse_id__in=ids).select_related("theme")
        for link in links.only("articlepresse_id", "theme__nom", "theme__nom_court", "theme__slug", "theme__ordre"):
            rubriques[link.articlepresse_id].append(link.theme)
    else:
        links = ArticlePresse.villes.through.objects.filter(articlepresse_id__in=ids).select_related("ville")
        for link in links.only("articlepresse_id", "ville__nom", "ville__slug"):
            rubriques[link.articlepresse_id].append(link.ville)
    for article in articles:
        article.parutions_vues = parutions[article.pk]
        article.rubriques = rubriques[article.pk]


def edition_version(*, edition: Edition) -> str:
    """What the edition's sections are made of, read in one small query: which of its articles are
    shown (kept, at its level or below), in which order, as last changed — and the edition itself.
    Any change there (an article removed, made more private, edited, moved) gives another value,
    so the rendered sections kept under it are never those of another state."""
    rows = (
        EditionArticle.objects.filter(
            edition=edition,
            article__statut=ArticlePresse.Statut.RETENU,
            article__visibilite__in=edition.article_levels(),
        )
        .order_by("ordre", "article_id")
        .values_list("article_id", "ordre", "article__modifie_le")
    )
    state = repr((edition.pk, edition.modifie_le, edition.regroupement, list(rows)))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def edition_sections(*, edition: Edition, levels: list[str] | None = None, references: bool = False) -> list[Section]:
    """What the web page, the PDF and the e-mail all show: the edition's sections, in order."""
    return group_sections(edition_articles(edition=edition, levels=levels, references=references), edition.regroupement)


def edition_candidates(*, edition: Edition) -> QuerySet[ArticlePresse]:
    """Kept articles of the edition's period, at its level or below, not chosen yet; newest first."""
    start = timezone.make_aware(datetime.combine(edition.debut, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(edition.fin + timedelta(days=1), datetime.min.time()))
    return (
        ArticlePresse.objects.kept()
        .filter(publie_le__gte=start, publie_le__lt=end, visibilite__in=edition.article_levels())
        .exclude(pk__in=edition.choix.values("article_id"))
        .order_by("-publie_le", "-pk")
    )


def edition_candidates_page(*, edition: Edition, number, per_page: int = 30):
    """A page of the articles staff may add to the edition, with their references."""
    paginator = ArticlePaginator(edition_candidates(edition=edition), per_page)
    return paginator.get_page(number)


def edition_order(*, edition: Edition) -> list[tuple[int, int]]:
    """``(choice id, article id)`` of the edition's articles, in order (for moving them)."""
    return list(edition.choix.order_by("ordre", "pk").values_list("pk", "article_id"))


def edition_published(*, edition_id: int) -> Edition | None:
    return Edition.objects.filter(pk=edition_id, statut=Edition.Statut.PUBLIEE).first()


def edition_recipients(*, edition: Edition) -> QuerySet[User]:
    """Subscribers who may see the edition, with an address."""
    return (
        User.objects.able_to_see(edition.visibilite)
        .filter(abonnement_panorama__actif=True)
        .exclude(email="")
        .order_by("pk")
    )


CHART_HEIGHT = 90  # the tallest bar of the town's press chart, in SVG units
CHART_BASE = 110  # the chart's axis: bars stand on it, month names hang below it
CHART_STEP = 40  # each month's column


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int
    height: int  # bar height in the chart, out of CHART_HEIGHT
    index: int = 0

    @property
    def y(self) -> int:
        return CHART_BASE - self.height

    @property
    def x(self) -> int:
        return self.index * CHART_STEP + 6

    @property
    def cx(self) -> int:
        return self.index * CHART_STEP + CHART_STEP // 2


VILLE_PRESS_SECONDS = 300


def ville_press(*, ville: Ville, user, months: int = 12) -> dict:
    """The town page's section: its latest press mentions and mentions per month (fixed queries).

    ``hidden`` says how many kept articles the visitor may not see (members-only), so that the page
    says so — instead of « no article » when they see none, and after the list when they see some.
    """
    visible = ArticlePresse.objects.visible_to(user).kept().filter(villes=ville)
    latest = list(_with_references(visible).order_by("-publie_le", "-pk")[:8])
    today = timezone.localdate()
    start_index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(start_index // 12, start_index % 12 + 1, 1)
    # The figures (mentions per month, articles kept above the visitor's level) are counts over all
    # the town's press, thousands of links for a busy town at national scale: kept a few minutes per
    # town and level; the latest articles above are read at every visit.
    staff = is_equipe(user)
    levels = () if staff else tuple(str(level) for level in levels_for(user))
    key = f"panorama:ville-presse:{ville.pk}:{'equipe' if staff else '-'.join(levels)}:{first.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        counts = dict(
            # From midnight (Paris) of the first month: a range the date index can serve, unlike ``__date``.
            visible.filter(publie_le__gte=timezone.make_aware(datetime.combine(first, time.min)))
            .annotate(month=TruncMonth("publie_le"))
            .order_by()
            .values_list("month")
            .annotate(n=Count("pk", distinct=True))
            .values_list("month", "n")
        )
        hidden = 0
        if not staff:  # the town's kept articles this visitor may not see (one count)
            # By the levels above theirs, not ``exclude(pk__in=visible)``: a ``NOT IN`` over the
            # articles cost a quarter of a second at national scale.
            above = [str(level) for level in ORDER if str(level) not in levels]
            hidden = ArticlePresse.objects.kept().filter(villes=ville, visibilite__in=above).count()
        figures = ({(m.year, m.month): n for m, n in counts.items()}, hidden)
        cache.set(key, figures, VILLE_PRESS_SECONDS)
    by_month, hidden = figures
    top = max(by_month.values(), default=0)
    series = []
    for position, index in enumerate(range(start_index, start_index + months)):
        month = date(index // 12, index % 12 + 1, 1)
        n = by_month.get((month.year, month.month), 0)
        series.append(MonthCount(month, n, round(CHART_HEIGHT * n / top) if top else 0, position))
    return {
        "articles": latest,
        "months": series,
        "total": sum(m.count for m in series),
        "hidden": hidden,
        "width": CHART_STEP * months,
    }


def sources_health() -> QuerySet[Source]:
    """Sources for staff: failing ones first."""
    return Source.objects.order_by("-echecs_consecutifs", "-actif", "nom")


def dashboard_panel(*, user) -> dict:
    """The dashboard's press panel: the latest references, and for staff what awaits them."""
    data = {"articles": list(articles_panorama(user=user)[:5])}
    if is_equipe(user):
        data["queue"] = ArticlePresse.objects.queue().count()
        data["failing"] = Source.objects.filter(actif=True, echecs_consecutifs__gt=0).count()
    return data


# --- Reads for ingestion, curation and rules ---------------------------------------------------


def sources_due(*, now: datetime | None = None) -> list[int]:
    """Active sources with a feed whose next collection time has come (failing ones wait longer)."""
    now = now or timezone.now()
    return list(
        Source.objects.filter(actif=True)
        .exclude(url_flux="")
        .filter(Q(prochaine_collecte_le__isnull=True) | Q(prochaine_collecte_le__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def source_to_collect(*, source_id: int) -> Source | None:
    """The source if it is active and has a feed."""
    return Source.objects.filter(pk=source_id, actif=True).exclude(url_flux="").first()


def source_appearance_count(*, source: Source) -> int:
    return source.parutions.count()


def ville_ids_by_code(*, codes: Iterable[str] | None = None) -> dict[str, int]:
    """Towns' ids by INSEE code (all of them, or those of ``codes``)."""
    queryset = Ville.objects.order_by()
    if codes is not None:
        queryset = queryset.filter(code_insee__in=list(codes))
    return dict(queryset.values_list("code_insee", "pk"))


def villes_by_code() -> dict[str, tuple[int, str]]:
    """Every town's id and name by INSEE code (ingestion links and indexes articles with them)."""
    return {code: (pk, nom) for code, pk, nom in Ville.objects.order_by().values_list("code_insee", "pk", "nom")}


def theme_names() -> dict[int, str]:
    return dict(Theme.objects.order_by().values_list("pk", "nom"))


def known_appearances(*, source: Source, canonical_urls: list[str], guids: list[str]) -> tuple[set[str], set[str]]:
    """Of these links and this source's GUIDs, the ones already stored."""
    guids = [g for g in guids if g]
    if connection.vendor == "postgresql":
        # A whole feed's links as one array parameter, not thousands of placeholders to build and parse.
        table = Parution._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT url_canonique FROM {table} WHERE url_canonique = ANY(%s)", [canonical_urls])  # noqa: S608 (our table)
            urls = {row[0] for row in cursor.fetchall()}
            cursor.execute(f"SELECT guid FROM {table} WHERE source_id = %s AND guid = ANY(%s)", [source.pk, guids])  # noqa: S608 (our table)
            return urls, {row[0] for row in cursor.fetchall()}
    urls = set(Parution.objects.filter(url_canonique__in=canonical_urls).values_list("url_canonique", flat=True))
    known_guids = set(Parution.objects.filter(source=source, guid__in=guids).values_list("guid", flat=True))
    return urls, known_guids


def article_source_ids(*, article: ArticlePresse) -> list[int]:
    """The sources an article appeared in."""
    return sorted(set(article.parutions.values_list("source_id", flat=True)))


def appearance_exists(*, canonical_url: str) -> bool:
    return Parution.objects.filter(url_canonique=canonical_url).exists()


def story_fingerprints(*, start: datetime, end: datetime) -> list[tuple[int, str]]:
    """``(id, title fingerprint)`` of the stories published between ``start`` and ``end``."""
    return list(ArticlePresse.objects.filter(publie_le__gte=start, publie_le__lte=end).values_list("pk", "empreinte"))


def articles_matching(*, motif: str) -> list[int]:
    """Stored articles whose title the rule matches, newest first (database prefilter, then the rule)."""
    words = normalise(motif).split()
    if not words:
        return []
    pattern = compile_motif(motif)
    # The search index finds the articles holding every word (on either backend); the rule then
    # decides on the title.
    candidates = holding_all(ArticlePresse.objects.order_by("-publie_le"), ARTICLE, words)
    return [pk for pk, titre in candidates.values_list("pk", "titre").iterator() if pattern.search(normalise(titre))]


def regle_preview(*, motif: str, limit: int = 20) -> tuple[int, list[ArticlePresse]]:
    """Stored articles a rule would tag, before it is saved: (how many, the newest few)."""
    matched = articles_matching(motif=motif)
    sample = list(ArticlePresse.objects.filter(pk__in=matched[:limit]).order_by("-publie_le"))
    return len(matched), sample


# How a press source is chosen, in the suggestion form and the panorama's filter (150 at national
# scale: typed in a box, see ``reseau_acv.core.listes``).
SOURCE_BOX = {"source": "panorama:source-choices", "aucun": _("aucune source de ce nom")}


def source_choices() -> list[tuple[str, str]]:
    """Every press source (pk, name), by name: the source box of the filters and of the suggestion form."""
    return [(str(pk), nom) for pk, nom in Source.objects.order_by("nom").values_list("pk", "nom")]
