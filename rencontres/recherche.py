"""What the meetings index for search, and with which weight (see ``reseau_acv.core.recherche``)."""

from __future__ import annotations

from reseau_acv.core.recherche import Champ, Index, index_refresh

from .models import Rencontre

RENCONTRE = Index(
    model=Rencontre,
    champs=(
        Champ("titre", "A"),
        Champ("resume", "B"),
        Champ("points__titre", "B"),
        Champ("ville__nom", "B"),
        Champ("themes__nom", "B"),
        Champ("points__intervenants", "C"),
        Champ("ordre_du_jour", "C"),
        Champ("compte_rendu", "C"),
    ),
    date="debut",
    extrait=("resume", "ordre_du_jour", "compte_rendu"),
    themes="themes",
    villes="ville",
)


def refresh(rencontre: Rencontre) -> None:
    index_refresh(RENCONTRE, [rencontre.pk], using=rencontre._state.db or "default")
