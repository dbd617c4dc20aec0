"""First steps of a newly invited member: what they follow, and « Pour bien démarrer ».

The towns and themes a member follows are core's follows (``Suivi`` rows): the one store that
tells of new questions, narrows the digest and fills the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, IntegerField, Prefetch, Q, When
from django.utils import timezone

from panorama.models import ArticlePresse
from rencontres.models import Rencontre
from rencontres.selectors import rencontres_upcoming
from reseau_acv.core.models import Theme
from reseau_acv.core.selectors import followed_ids
from reseau_acv.core.visibility import Visibilite, can_see_level
from ressources.models import RetourExperience
from villes.models import Mission, Ville

from .models import Preferences

# « Pour bien démarrer » shows this long after the first steps.
DEMARRER_JOURS = 30


def followed_themes(*, user) -> list[Theme]:
    """The themes the member follows, in the taxonomy's order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Theme.objects.filter(pk__in=followed_ids(user=user, model=Theme)).order_by("ordre"))


def followed_villes(*, user) -> list[Ville]:
    """The member's mission towns, then the towns they follow."""
    if not getattr(user, "is_authenticated", False):
        return []
    missions = Mission.objects.current().filter(personne=user).values("ville_id")
    rule = Q(pk__in=missions) | Q(pk__in=followed_ids(user=user, model=Ville))
    return list(Ville.objects.filter(rule).order_by("nom"))


def premiers_pas_initial(*, user) -> dict:
    """What the two questions show first: my mission and followed towns, my followed themes, my frequency."""
    preferences = Preferences.objects.filter(user=user).first()
    return {
        "villes": followed_villes(user=user),
        "themes": followed_themes(user=user),
        "frequence": preferences.frequence if preferences else Preferences._meta.get_field("frequence").default,
    }


def demarrage_due(user) -> bool:
    """Whether the dashboard still shows « Pour bien démarrer » (for a while after the first steps)."""
    done = getattr(user, "premiers_pas_le", None)
    return done is not None and done >= timezone.now() - timedelta(days=DEMARRER_JOURS)


@dataclass
class Demarrage:
    retours: list
    rencontre: Rencontre | None
    ville: Ville | None
    articles: list
    themes: list
    reseau: bool = True  # whether the member sees the network's level (sheets are mostly there)


def _similar_size(populations: list[int]) -> Q:
    rule = Q(pk__in=[])
    for population in populations[:5]:
        rule |= Q(ville__population__gte=population // 2, ville__population__lte=population * 2)
    return rule


def demarrage(*, user) -> Demarrage:
    """« Pour bien démarrer »: sheets on my themes from towns of my town's size, the next meeting
    open to me, my town's latest press — each one click away. A fixed number of queries."""
    themes = followed_themes(user=user)
    missions = list(Mission.objects.current().filter(personne=user).select_related("ville").order_by("ville__nom")[:5])
    villes = [m.ville for m in missions]
    populations = [v.population for v in villes if v.population]
    retours = RetourExperience.objects.visible_to(user).published().select_related("ville")
    if themes:
        links = RetourExperience.themes.through.objects.filter(theme_id__in=[t.pk for t in themes])
        retours = retours.filter(pk__in=links.values("retourexperience_id"))
    retours = retours.annotate(
        meme_taille=Case(When(_similar_size(populations), then=1), default=0, output_field=IntegerField())
    ).order_by("-meme_taille", "-publie_le", "-pk")
    if villes:
        retours = retours.exclude(ville__in=villes)  # what others did: my own town I know
    rencontre = next((r for r in rencontres_upcoming(user=user, limit=3) if r.statut == Rencontre.Statut.PUBLIEE), None)
    ville = villes[0] if villes else None
    articles = []
    if ville is not None:
        links = ArticlePresse.villes.through.objects.filter(ville_id=ville.pk)
        articles = list(
            ArticlePresse.objects.visible_to(user)
            .kept()
            .filter(pk__in=links.values("articlepresse_id"))
            .prefetch_related(Prefetch("villes", queryset=Ville.objects.only("pk", "nom")))
            .order_by("-publie_le", "-pk")[:2]
        )
    return Demarrage(
        retours=list(retours[:3]),
        rencontre=rencontre,
        ville=ville,
        articles=articles,
        themes=themes,
        reseau=can_see_level(user, Visibilite.RESEAU),
    )
