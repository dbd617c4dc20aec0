from django.conf import settings

from .permissions import is_equipe


def platform(request):
    """Values every template may use; ``viewer_is_equipe`` is the one « is staff » test of templates."""
    return {
        "SITE_URL": settings.SITE_URL,
        "DEMO_ALLOWED": settings.DEMO_ALLOWED,
        "viewer_is_equipe": is_equipe(getattr(request, "user", None)),
    }
