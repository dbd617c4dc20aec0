"""What the towns index for search (see ``reseau_acv.core.recherche``)."""

from __future__ import annotations

from reseau_acv.core.recherche import Champ, Index

from .models import Ville

VILLE = Index(
    model=Ville,
    champs=(
        Champ("nom", "A"),
        Champ("departement_nom", "C"),
        Champ("epci_nom", "C"),
        Champ("programmes__nom", "C"),
        Champ("presentation", "C"),
    ),
    date="modifie_le",
    extrait=("presentation",),
    titre="nom",
)
