"""Tagging: the towns, themes and programmes an article names, and the keyword rules staff edit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from villes.models import Programme

from .. import selectors
from ..matching import KeywordMatcher, TownMatcher, keyword_matcher, normalise, town_matcher
from ..models import ArticlePresse, RegleMotCle
from ..permissions import can_curate, require
from ..recherche import refresh as search_refresh
from ..text import Words, read


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
    source_id: int | None = None,
    towns: TownMatcher | None = None,
    keywords: KeywordMatcher | None = None,
    words: Words | None = None,
) -> Tags:
    """Towns named in the title (and the feed's summary), themes and programmes from the rules.

    A batch passes the matchers it fetched once (``towns``, ``keywords``); alone, they are looked up.
    ``words`` is ``read(f"{titre}\\n{texte}")`` when the caller made it already.
    """
    towns = towns or town_matcher()
    keywords = keywords or keyword_matcher()
    tags = Tags()
    if words is None:
        words = read(f"{titre}\n{texte}")  # read once for both matchers
    for mention in towns.find(words, departements=departements, source_id=source_id):
        tags.villes.add(mention.code_insee)
        tags.motifs.append(
            {
                "type": "ville",
                "code": mention.code_insee,
                "nom": mention.nom,
                "texte": mention.texte,
                "raison": mention.raison,
                "contexte": mention.contexte,
            }
        )
    for rule in keywords.find(words):
        if rule.theme_id:
            tags.themes.add(rule.theme_id)
        if rule.programme_id:
            tags.programmes.add(rule.programme_id)
        tags.motifs.append({"type": "regle", "regle": rule.pk, "texte": rule.motif, "raison": rule.cible})
    return tags


def tags_apply(*, article: ArticlePresse, tags: Tags, ville_ids: dict[str, int]) -> None:
    """Link a new article to the towns (INSEE code → id), themes and programmes it was tagged with."""
    if tags.villes:
        article.villes.add(*[ville_ids[code] for code in tags.villes if code in ville_ids])
    if tags.themes:
        article.themes.add(*tags.themes)
    if tags.programmes:
        article.programmes.add(*tags.programmes)


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


def regle_save(*, actor: User, motif: str, theme: Theme | None, programme: Programme | None) -> RegleMotCle:
    """Save a keyword rule (a phrase → a theme and/or a programme); saving it twice keeps one."""
    require(can_curate(actor))
    if not normalise(motif):
        raise ValidationError(_("Le mot-clé est vide."))
    if theme is None and programme is None:
        raise ValidationError(_("Choisissez un thème ou un programme."))
    with transaction.atomic():
        rule, _created = RegleMotCle.objects.get_or_create(motif=motif.strip(), theme=theme, programme=programme)
    return rule


def regle_apply(*, actor: User, regle: RegleMotCle) -> int:
    """Tag the stored articles the rule matches; programme rules bring matching articles into the queue."""
    require(can_curate(actor))
    with transaction.atomic():
        ids = selectors.articles_matching(motif=regle.motif)
        if regle.theme_id:
            through = ArticlePresse.themes.through
            through.objects.bulk_create(
                [through(articlepresse_id=pk, theme_id=regle.theme_id) for pk in ids], ignore_conflicts=True
            )
        if regle.programme_id:
            through = ArticlePresse.programmes.through
            through.objects.bulk_create(
                [through(articlepresse_id=pk, programme_id=regle.programme_id) for pk in ids], ignore_conflicts=True
            )
            ArticlePresse.objects.filter(pk__in=ids, statut=ArticlePresse.Statut.HORS_PERIMETRE).update(
                statut=ArticlePresse.Statut.A_TRIER
            )
        if regle.theme_id:
            search_refresh(ids)  # themes are searched
    return len(ids)
