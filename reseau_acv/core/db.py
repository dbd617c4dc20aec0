"""Database helpers shared by the apps."""

from __future__ import annotations

import unicodedata


def unaccent(text: str | None) -> str | None:
    """Remove accents the way PostgreSQL's ``unaccent`` does for French text ("é" → "e")."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def install_sqlite_functions(sender, connection, **kwargs) -> None:
    """On the embedded SQLite default, give the database an ``UNACCENT`` function, so that the
    ``__unaccent__icontains`` lookups the search fallbacks use work as on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, unaccent, deterministic=True)
