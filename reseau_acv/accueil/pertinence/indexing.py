"""How the bench reaches the platform: index what it loaded, and ask the two pages."""

from __future__ import annotations


def index_corpus(made: dict[str, list]) -> None:
    """Index the loaded documents the way the services do after a write."""
    from panorama.recherche import ARTICLE
    from rencontres.recherche import RENCONTRE
    from reseau_acv.core.recherche import index_refresh
    from ressources.recherche import QUESTION, RESSOURCE, RETOUR
    from villes.recherche import VILLE

    for index, kind in (
        (RESSOURCE, "ressources"),
        (RETOUR, "retours"),
        (QUESTION, "questions"),
        (RENCONTRE, "rencontres"),
        (ARTICLE, "articles"),
    ):
        index_refresh(index, [obj.pk for obj in made[kind]])
    index_refresh(VILLE)


def global_urls(*, user, text: str) -> list[str]:
    """The global page's best results, in order."""
    from reseau_acv.accueil.search import search_page

    return [result.url for result in search_page(user=user, texte=text).meilleurs]


def library_urls(*, user, text: str) -> list[str]:
    """The library page's first resources for ``text``, in order."""
    from ressources.models import Ressource
    from ressources.selectors import ressources_search

    found = ressources_search(queryset=Ressource.objects.visible_to(user), text=text)
    return [obj.get_absolute_url() for obj in found.queryset[:10]]
