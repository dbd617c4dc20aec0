"""One module per domain app read by ``accueil``, each registering what it contributes."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else settings.SITE_URL


def url_of(obj) -> str:
    """The object's page, or '' while its app has no page for it yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def reverse_or(name: str, fallback: str = "") -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback
