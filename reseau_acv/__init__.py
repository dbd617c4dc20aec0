"""Réseau ACV Centre-Val de Loire: the network's web platform."""

from .celery import app as celery_app

__all__ = ("celery_app",)
