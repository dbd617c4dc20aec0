"""Laptop settings: the embedded default (SQLite, no broker, e-mails in var/courriels/)."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
