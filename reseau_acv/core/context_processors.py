from django.conf import settings


def platform(request):
    """Values every template may use."""
    return {"SITE_URL": settings.SITE_URL, "DEMO_ALLOWED": settings.DEMO_ALLOWED}
