"""Who may do what with meetings. What a user may *see* is ``Rencontre.objects.visible_to``."""

from __future__ import annotations

from reseau_acv.core.permissions import may_animate


def can_see_video_link(user, rencontre, *, est_inscrit: bool) -> bool:
    """The video link is shown to registered members and to staff only."""
    if not rencontre.has_video or rencontre.is_cancelled:
        return False
    return may_animate(user) or est_inscrit
