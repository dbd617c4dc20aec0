"""Writes of core that staff make through a page: the search thesaurus."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import EntreeThesaurus
from .permissions import is_equipe
from .recherche import thesaurus
from .recherche.texte import words

MAX_EXPRESSIONS = 30
MAX_LENGTH = 120


def _validate(expressions: str) -> str:
    found = thesaurus.split_expressions(expressions)
    if len(found) < 2:
        raise ValidationError({"expressions": _("Indiquez au moins deux expressions équivalentes.")})
    if len(found) > MAX_EXPRESSIONS:
        raise ValidationError({"expressions": _("Trente expressions au plus par entrée.")})
    if any(len(e) > MAX_LENGTH for e in found):
        raise ValidationError({"expressions": _("Une expression fait au plus 120 caractères.")})
    if any(not words(e) for e in found):
        raise ValidationError({"expressions": _("Chaque expression doit contenir au moins un mot.")})
    return "\n".join(found)


@transaction.atomic
def thesaurus_save(
    *, actor, expressions: str, actif: bool = True, entree: EntreeThesaurus | None = None
) -> EntreeThesaurus:
    """Staff add or change a group of equivalent expressions; searches use it at once."""
    if not is_equipe(actor):
        raise PermissionDenied
    entree = entree or EntreeThesaurus()
    entree.expressions = _validate(expressions)
    entree.actif = actif
    entree.save()
    thesaurus.forget()
    transaction.on_commit(thesaurus.forget)  # and again once others can read the change
    return entree


@transaction.atomic
def thesaurus_delete(*, actor, entree: EntreeThesaurus) -> None:
    if not is_equipe(actor):
        raise PermissionDenied
    entree.delete()
    thesaurus.forget()
    transaction.on_commit(thesaurus.forget)  # and again once others can read the change
