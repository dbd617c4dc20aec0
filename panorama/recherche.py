"""What the press panorama indexes for search (see ``reseau_acv.core.recherche``).

Press law: the feed's text (``Parution.resume_flux``) helps to match (weight D) but is never
shown; excerpts come from the team's own summary only."""

from __future__ import annotations

from reseau_acv.core.recherche import Champ, Index, index_refresh

from .models import ArticlePresse

ARTICLE = Index(
    model=ArticlePresse,
    champs=(
        Champ("titre", "A"),
        Champ("resume", "B"),
        Champ("villes__nom", "B"),
        Champ("themes__nom", "C"),
        Champ("parutions__titre", "C"),
        Champ("parutions__resume_flux", "D"),
    ),
    date="publie_le",
    extrait=("resume",),
    themes="themes",
    villes="villes",
)


def refresh(ids, *, using: str = "default") -> None:
    index_refresh(ARTICLE, ids, using=using)
