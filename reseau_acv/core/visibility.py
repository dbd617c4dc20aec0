"""Visibility levels, and the one helper that turns a user into the levels they may see.

Every piece of content carries one level: ``public`` < ``partenaires`` < ``reseau`` < ``equipe``.
Each model's ``visible_to(user)`` QuerySet method filters through :func:`levels_for`, so that
lists, pages, search, feeds, calendars, digests, exports and downloads agree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import is_equipe, is_member


class Visibilite(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTENAIRES = "partenaires", _("Membres et partenaires")
    RESEAU = "reseau", _("Réseau (chefs de projet et équipe)")
    EQUIPE = "equipe", _("Équipe d'animation")


ORDER: tuple[str, ...] = (
    Visibilite.PUBLIC,
    Visibilite.PARTENAIRES,
    Visibilite.RESEAU,
    Visibilite.EQUIPE,
)


def max_level_for(user) -> str:
    """The highest visibility level ``user`` may see (anonymous → ``public``)."""
    if not is_member(user):
        return Visibilite.PUBLIC
    if is_equipe(user):
        return Visibilite.EQUIPE
    if user.is_chef_de_projet:
        return Visibilite.RESEAU
    return Visibilite.PARTENAIRES


def levels_for(user) -> list[str]:
    """The visibility levels ``user`` may see, from ``public`` up to their highest."""
    top = ORDER.index(max_level_for(user))
    return [str(level) for level in ORDER[: top + 1]]


def can_see_level(user, level: str) -> bool:
    return level in levels_for(user)


class VisibleQuerySet(models.QuerySet):
    """Base QuerySet for content with a ``visibilite`` field.

    Models with more rules (status, author, moderation) override :meth:`visible_to` and call
    :meth:`with_level_for` for the level part.
    """

    visibility_field = "visibilite"

    def with_level_for(self, user):
        return self.filter(**{f"{self.visibility_field}__in": levels_for(user)})

    def visible_to(self, user):
        return self.with_level_for(user)

    def reserved_for_members(self, user) -> bool:
        """For a visitor who is not signed in: whether this content — as members see it, e.g.
        already published — holds pieces above what they may see, so that a page says « réservé
        aux membres » rather than « aucun ». Always False for a member."""
        if is_member(user):
            return False
        return self.exclude(**{f"{self.visibility_field}__in": levels_for(user)}).exists()

    def reserved_for_network(self, user) -> bool:
        """For a member who does not see the network's level (a partner): whether this content holds
        pieces kept for the network (project leads and staff), so that a page says so rather than
        « aucun ». False for visitors (``reserved_for_members`` speaks to them), leads and staff."""
        if not is_member(user) or can_see_level(user, Visibilite.RESEAU):
            return False
        return self.filter(**{self.visibility_field: Visibilite.RESEAU}).exists()


def visibilite_field(default: str = Visibilite.RESEAU, **kwargs) -> models.CharField:
    return models.CharField(
        _("visibilité"),
        max_length=12,
        choices=Visibilite.choices,
        default=default,
        db_index=True,
        help_text=_("Qui peut voir ce contenu."),
        **kwargs,
    )
