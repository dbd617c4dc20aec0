"""Who may act on the press panorama, built on core's predicates (« staff », « may moderate »)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from reseau_acv.core.permissions import may_animate, may_moderate


def can_curate(user) -> bool:
    """Sort the press: keep, discard, correct the tags, write the summary, edit keyword rules."""
    return may_moderate(user)


def can_compose_edition(user) -> bool:
    """Compose, order and publish the panorama's editions."""
    return may_animate(user)


def require(allowed: bool) -> None:
    """For services: refuse the actor when the rule says no."""
    if not allowed:
        raise PermissionDenied
