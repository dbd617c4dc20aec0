"""View guards shared by every app: "not allowed" answers like "not found"."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def equipe_required(view):
    """Staff pages: anonymous visitors go to the sign-in page; other members get a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_equipe:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
