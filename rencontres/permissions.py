"""Who may do what with meetings. What a user may *see* is ``Rencontre.objects.visible_to``."""

from __future__ import annotations


def can_manage_rencontres(user) -> bool:
    """Staff create, edit, publish and cancel meetings, mark attendance and export lists."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_equipe)


def can_see_video_link(user, rencontre, *, est_inscrit: bool) -> bool:
    """The video link is shown to registered members and to staff only."""
    if not rencontre.has_video or rencontre.is_cancelled:
        return False
    return can_manage_rencontres(user) or est_inscrit
