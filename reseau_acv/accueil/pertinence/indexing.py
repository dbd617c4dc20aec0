"""How the bench reaches the platform: index what it loaded, and ask the two pages."""

from __future__ import annotations

from itertools import zip_longest


def index_corpus(made: dict[str, list]) -> None:
    """Index the loaded documents the way the services do after a write."""
    from ressources.search import refresh_search_vector

    for kind in ("ressources", "retours", "questions"):
        for obj in made[kind]:
            refresh_search_vector(obj)


def global_urls(*, user, text: str) -> list[str]:
    """The global page's results, best first (its groups taken in turn)."""
    from reseau_acv.accueil.search import search_all

    groups = [results for _group, results in search_all(user=user, query=text, limit=10)]
    merged = [result for row in zip_longest(*groups) for result in row if result is not None]
    return [result.url for result in merged]


def library_urls(*, user, text: str) -> list[str]:
    """The library page's resources for ``text``, best first."""
    from ressources.models import Ressource
    from ressources.selectors import ressources_search

    found = ressources_search(queryset=Ressource.objects.visible_to(user), text=text)[:10]
    return [obj.get_absolute_url() for obj in found]
