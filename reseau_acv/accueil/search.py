"""Global search: one query over every kind of content, through core's search engine.

The groups are listed here, explicitly and in order (accueil reads every app; nobody imports
it). Each group names its app's ``Index`` (declared in the app's ``recherche.py``), the rows the
visitor may see (``visible_to``), how to fetch a page of results and what a result shows.
Every count and facet is computed over the visible, matching rows only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, Value
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from panorama.models import ArticlePresse
from panorama.recherche import ARTICLE
from rencontres.models import Rencontre
from rencontres.recherche import RENCONTRE
from reseau_acv.core.models import Theme
from reseau_acv.core.recherche import (
    CANDIDATES,
    COUNT_LIMIT,
    FEW_CANDIDATES,
    Index,
    Requete,
    Resultats,
    among,
    choose,
    excerpt,
    excerpt_text,
    holds_every,
    index_refresh,
    planned,
    search_together,
)
from ressources.models import Question, Ressource, RetourExperience
from ressources.recherche import QUESTION, RESSOURCE, RETOUR
from villes.models import Ville
from villes.recherche import VILLE

MIN_QUERY_LENGTH = 2
PER_GROUP = 3
BEST = 10
PER_PAGE = 20
FACET_SIZE = 8


@dataclass(frozen=True)
class Groupe:
    key: str
    title: str
    index: Index
    visible: Callable[..., QuerySet]  # visible(user) -> the rows the visitor may see
    detail: Callable[[object], str] = lambda obj: ""  # a short line under the title
    related: tuple[str, ...] = ()  # select_related for a page of results

    def fetch(self, ids: list[int]) -> list:
        rows = self.index.model._base_manager.filter(pk__in=ids).select_related(*self.related).defer("recherche")
        by_pk = {obj.pk: obj for obj in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]


GROUPES: list[Groupe] = [
    Groupe(
        "villes",
        _("Villes et communes"),
        VILLE,
        lambda user: Ville.objects.all(),
        detail=lambda v: f"{v.departement_nom} ({v.departement_code})",
    ),
    Groupe(
        "ressources",
        _("Ressources"),
        RESSOURCE,
        lambda user: Ressource.objects.visible_to(user),
        detail=lambda r: str(r.get_type_display()),
    ),
    Groupe(
        "retours",
        _("Fiches d'expérience"),
        RETOUR,
        lambda user: RetourExperience.objects.visible_to(user),
        detail=lambda r: r.ville.nom,
        related=("ville",),
    ),
    Groupe("questions", _("Questions"), QUESTION, lambda user: Question.objects.visible_to(user)),
    Groupe(
        "rencontres",
        _("Rencontres"),
        RENCONTRE,
        lambda user: Rencontre.objects.visible_to(user),
        detail=lambda r: str(r.get_type_display()),
    ),
    Groupe(
        "presse",
        _("Articles de presse"),
        ARTICLE,
        lambda user: ArticlePresse.objects.visible_to(user),
        detail=lambda a: str(_("Presse")),
    ),
]
GROUPES_BY_KEY = {groupe.key: groupe for groupe in GROUPES}


def reindex_all(*, using: str = "default") -> dict[str, int]:
    """Rebuild every group's search index (after a bulk load or an upgrade)."""
    return {groupe.key: index_refresh(groupe.index, using=using) for groupe in GROUPES}


@dataclass(frozen=True)
class Filtres:
    theme: str = ""
    ville: str = ""
    annee: int | None = None

    @property
    def actifs(self) -> bool:
        return bool(self.theme or self.ville or self.annee)

    def apply(self, queryset: QuerySet, index: Index) -> QuerySet | None:
        """The rows that pass the filters, or None when this kind cannot (no theme on a town).
        A theme or a town of a many-to-many is a subquery on the link table (no join, no
        DISTINCT: the search stops as soon as it has enough rows)."""
        if self.theme:
            if not index.themes:
                return None
            queryset = _related_filter(queryset, index.themes, self.theme)
        if self.ville:
            if not index.villes:
                return None
            queryset = _related_filter(queryset, index.villes, self.ville)
        if self.annee:
            if index is VILLE:
                return None
            queryset = queryset.filter(**{f"{index.date}__year": self.annee})
        return queryset


def _related_filter(queryset: QuerySet, path: str, slug: str) -> QuerySet:
    field = queryset.model._meta.get_field(path)
    if not field.many_to_many:
        return queryset.filter(**{f"{path}__slug": slug})
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return queryset.filter(pk__in=through.objects.filter(**{f"{target}__slug": slug}).values(f"{owner}_id"))


@dataclass
class Resultat:
    groupe: Groupe
    titre: str
    url: str
    extrait: SafeString | str
    date: datetime | None
    detail: str
    score: float


@dataclass
class GroupeTrouve:
    groupe: Groupe
    resultats: Resultats
    premiers: list[Resultat] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.resultats.total

    @property
    def plus_de(self) -> bool:
        return self.resultats.plus_de


@dataclass
class Facette:
    valeur: str
    libelle: str
    nombre: int


@dataclass
class PageRecherche:
    texte: str
    requete: Requete | None = None
    groupes: list[GroupeTrouve] = field(default_factory=list)
    meilleurs: list[Resultat] = field(default_factory=list)
    corrigee: str | None = None
    suggestion: str | None = None
    facettes: dict[str, list[Facette]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groupes)

    @property
    def plus_de(self) -> bool:
        return any(g.plus_de for g in self.groupes)


def _results(groupe: Groupe, found: Resultats, ids: list[int], requete: Requete) -> dict[int, Resultat]:
    return {
        obj.pk: Resultat(
            groupe=groupe,
            titre=getattr(obj, groupe.index.titre),
            url=obj.get_absolute_url(),
            extrait=excerpt(excerpt_text(obj, groupe.index), requete),
            date=found.dates.get(obj.pk),
            detail=groupe.detail(obj),
            score=found.scores.get(obj.pk, 0.0),
        )
        for obj in groupe.fetch(ids)
    }


def _searched(
    user, texte: str, filtres: Filtres, groupes: list[Groupe], sort: str, with_thesaurus=None, candidates=CANDIDATES
):
    def sources():
        return [(filtres.apply(groupe.visible(user), groupe.index), groupe.index) for groupe in groupes]

    def run(requete):
        found = list(zip(groupes, search_together(sources(), requete, sort=sort, candidates=candidates), strict=True))
        return sum(f.total for _g, f in found), sum(f.complets for _g, f in found), found

    def complet(requete) -> bool:
        return any(holds_every(queryset, index, requete) for queryset, index in sources() if queryset is not None)

    return choose(texte, run, using="default", with_thesaurus=with_thesaurus, elargir=True, complet=complet)


def search_page(*, user, texte: str, filtres: Filtres | None = None, with_thesaurus=None) -> PageRecherche:
    """The global page: the best results of every kind, then each kind's first results
    (``with_thesaurus``: a thesaurus to try instead of the saved one, for staff's preview)."""
    filtres = filtres or Filtres()
    texte = " ".join((texte or "").replace("\x00", " ").split())
    page = PageRecherche(texte=texte)
    if len(texte) < MIN_QUERY_LENGTH:
        return page
    with planned("default"):
        return _search_page(page, user, texte, filtres, with_thesaurus)


def _search_page(page: PageRecherche, user, texte: str, filtres: Filtres, with_thesaurus) -> PageRecherche:
    requete, found, page.corrigee, page.suggestion = _searched(
        user, texte, filtres, GROUPES, "pertinence", with_thesaurus=with_thesaurus, candidates=FEW_CANDIDATES
    )
    page.requete = requete
    ranked = sorted(
        ((f.scores[pk], groupe.key, pk) for groupe, f in found for pk in f.ids[:BEST]), key=lambda t: -t[0]
    )[:BEST]
    best_ids = {(key, pk) for _s, key, pk in ranked}
    for groupe, f in found:
        wanted = [pk for pk in f.ids if (groupe.key, pk) in best_ids] + [
            pk for pk in f.ids[:PER_GROUP] if (groupe.key, pk) not in best_ids
        ]
        trouve = GroupeTrouve(groupe, f)
        by_pk = _results(groupe, f, wanted, requete) if wanted else {}
        trouve.premiers = [by_pk[pk] for pk in f.ids[:PER_GROUP] if pk in by_pk]
        page.meilleurs += [by_pk[pk] for pk in f.ids if (groupe.key, pk) in best_ids and pk in by_pk]
        page.groupes.append(trouve)
    page.meilleurs.sort(key=lambda r: -r.score)
    page.facettes = facets(found)
    return page


@dataclass
class ListeGroupe:
    texte: str
    groupe: Groupe
    requete: Requete | None
    resultats: Resultats
    corrigee: str | None
    suggestion: str | None
    facettes: dict[str, list[Facette]]


def search_group(
    *, user, texte: str, key: str, filtres: Filtres | None = None, sort: str = "pertinence"
) -> ListeGroupe:
    """One kind of result, every page of it (« voir les N résultats »)."""
    filtres = filtres or Filtres()
    groupe = GROUPES_BY_KEY[key]
    texte = " ".join((texte or "").replace("\x00", " ").split())
    if len(texte) < MIN_QUERY_LENGTH:
        return ListeGroupe(texte, groupe, None, Resultats(), None, None, {})
    with planned("default"):
        requete, found, corrigee, suggestion = _searched(user, texte, filtres, [groupe], sort)
        return ListeGroupe(texte, groupe, requete, found[0][1], corrigee, suggestion, facets(found))


def page_results(liste: ListeGroupe, ids: list[int]) -> list[Resultat]:
    if not liste.requete:
        return []
    found = _results(liste.groupe, liste.resultats, ids, liste.requete)
    return [found[pk] for pk in ids if pk in found]


def _facet_counts(index: Index, path: str, ids: list[int], tag: str) -> QuerySet:
    """How many of ``ids`` link to each row of ``path`` (a theme, a town): grouped on the link
    table (or the row's own column), through its index — rows (tag, pk, count)."""
    field = index.model._meta.get_field(path)
    if field.many_to_many:
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = among(through.objects.all(), ids, field=owner).values(f"{target}_id")
        column = f"{target}_id"
    else:
        rows = (
            among(index.model._base_manager.all(), ids)
            .filter(**{f"{field.attname}__isnull": False})
            .order_by()
            .values(field.attname)
        )
        column = field.attname
    return rows.annotate(_tag=Value(tag), n=Count("pk")).values_list("_tag", column, "n")


def facets(found: list[tuple[Groupe, Resultats]]) -> dict[str, list[Facette]]:
    """Counts of the matching, visible rows by kind, theme, town and year (bounded, like the totals:
    over the ranked results of each kind), the themes and towns in one query."""
    kinds = [Facette(g.key, str(g.title), f.total) for g, f in found if f.total]
    themes: Counter = Counter()
    villes: Counter = Counter()
    years: Counter = Counter()
    parts = []
    for groupe, f in found:
        ids = f.ids[:COUNT_LIMIT]
        if not ids:
            continue
        index = groupe.index
        if index.themes:
            parts.append(_facet_counts(index, index.themes, ids, "theme"))
        if index.villes:
            parts.append(_facet_counts(index, index.villes, ids, "ville"))
        if index is not VILLE:
            years.update(when.year for when in (f.dates.get(pk) for pk in ids) if when)
    if parts:
        for tag, pk, n in parts[0].union(*parts[1:], all=True):
            (themes if tag == "theme" else villes)[pk] += n
    theme_rows = {t.pk: t for t in Theme.objects.filter(pk__in=list(themes))} if themes else {}
    top_villes = villes.most_common(FACET_SIZE)
    ville_rows = (
        {
            pk: (slug, nom)
            for pk, slug, nom in Ville.objects.filter(pk__in=[pk for pk, _n in top_villes]).values_list(
                "pk", "slug", "nom"
            )
        }
        if top_villes
        else {}
    )
    return {
        "type": kinds,
        "theme": [
            Facette(theme_rows[pk].slug, theme_rows[pk].nom, n)
            for pk, n in sorted(themes.items(), key=lambda t: theme_rows[t[0]].ordre)
            if pk in theme_rows
        ],
        "ville": [Facette(*ville_rows[pk], n) for pk, n in top_villes if pk in ville_rows],
        "annee": [Facette(str(year), str(year), n) for year, n in sorted(years.items(), reverse=True)][:FACET_SIZE],
    }
