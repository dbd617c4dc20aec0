"""What the library indexes for search, and with which weight (see ``reseau_acv.core.recherche``)."""

from __future__ import annotations

from django.db.models import Q

from reseau_acv.core.recherche import Champ, Index, index_refresh

from .models import Message, Question, Ressource, RetourExperience

_ANSWERS = Q(messages__masque=False)

RESSOURCE = Index(
    model=Ressource,
    champs=(
        Champ("titre", "A"),
        Champ("resume", "B"),
        Champ("villes__nom", "B"),
        Champ("themes__nom", "B"),
        Champ("source", "C"),
        Champ("corps", "C"),
        Champ("messages__corps", "D", _ANSWERS),
    ),
    date="publie_le",
    extrait=("resume", "corps"),
    themes="themes",
    villes="villes",
)
RETOUR = Index(
    model=RetourExperience,
    champs=(
        Champ("titre", "A"),
        Champ("ville__nom", "B"),
        Champ("themes__nom", "B"),
        Champ("difficulte", "B"),
        Champ("leviers", "B"),
        Champ("partenaires", "B"),
        Champ("contexte", "C"),
        Champ("resultat", "C"),
        Champ("messages__corps", "D", _ANSWERS),
    ),
    date="publie_le",
    extrait=("difficulte", "leviers", "resultat", "partenaires", "contexte"),
    themes="themes",
    villes="ville",
)
QUESTION = Index(
    model=Question,
    champs=(
        Champ("titre", "A"),
        Champ("corps", "B"),
        Champ("villes__nom", "B"),
        Champ("themes__nom", "B"),
        Champ("messages__corps", "C", _ANSWERS),
    ),
    date="publie_le",
    extrait=("corps",),
    themes="themes",
    villes="villes",
)
INDEXES = {Ressource: RESSOURCE, RetourExperience: RETOUR, Question: QUESTION}


def refresh(obj) -> None:
    """After a write: the row's search index (a question's, when one of its answers changes)."""
    if isinstance(obj, Message):
        obj = obj.fil
    index_refresh(INDEXES[type(obj)], [obj.pk], using=obj._state.db or "default")


def refresh_all(model) -> int:
    """Rebuild a whole table's search index (after a bulk load that went around the services)."""
    return index_refresh(INDEXES[model])
