"""Who a member is, decided once: the predicates every app, view, service and template calls.

« Is this member staff? » and « may they moderate? » have one answer each, here. Apps keep their
own ``can_<verb>_<entity>`` rules in their ``permissions.py``, built on these predicates; what a
member may *see* is each model's ``visible_to(user)``.

Core imports no app: the predicates read the role facts the user model carries
(``is_equipe``, ``is_chef_de_projet``, ``is_partenaire``).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404


def is_member(user) -> bool:
    """Signed in with an active account (any role)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_equipe(user) -> bool:
    """A member of the animation team (Villes au Carré), or the technical administrator."""
    return is_member(user) and bool(user.is_superuser or user.is_equipe)


def is_chef_de_projet(user) -> bool:
    """A project lead of an ACV town or a PVD commune."""
    return is_member(user) and bool(user.is_chef_de_projet)


def may_see_member_page(viewer, member) -> bool:
    """Whether ``viewer`` may open ``member``'s page: an active member who consented to the directory,
    oneself, or anyone active for staff. A deleted account (``None``) has no page.

    The page itself reads the same rule as a query (``accueil.membres.member_visible_or_404``).
    """
    if member is None or not is_member(viewer) or not member.is_active:
        return False
    return bool(member.consentement_annuaire or member.pk == viewer.pk or is_equipe(viewer))


def may_moderate(user) -> bool:
    """Publish, send back, hide and pin members' contributions; sort the press."""
    return is_equipe(user)


def may_animate(user) -> bool:
    """Create meetings, compose press editions, invite members, read the animation figures."""
    return is_equipe(user)


def require_equipe(actor) -> None:
    """For services: refuse an actor who is not staff."""
    if not is_equipe(actor):
        raise PermissionDenied


def equipe_required(view):
    """Staff pages: anonymous visitors go to the sign-in page; other members get a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # Imported here: this module is read while models load (visibility), before auth's views can be.
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not is_equipe(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
