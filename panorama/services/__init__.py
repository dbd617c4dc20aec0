"""Writes of the press panorama, one module per concern.

- :mod:`.sources` — the press sources and their reference list;
- :mod:`.tagging` — towns, themes and programmes an article names, and the keyword rules;
- :mod:`.ingestion` — collecting the feeds: fetch, de-duplicate, tag, store;
- :mod:`.curation` — staff keep or discard, members suggest;
- :mod:`.editions` — editions composed, published and e-mailed.

Every function is keyword-only, takes the acting user when a person acts, checks permission, and
runs in a transaction. Reads live in :mod:`panorama.selectors`, which imports no service (the
dependency runs one way: services → selectors). The names below are the package's public API, so
that ``from panorama import services; services.ingest_source(...)`` keeps working.
"""

from .curation import article_review, article_suggest, article_summary_save, articles_sort
from .editions import (
    abonnement_set,
    edition_article_move,
    edition_article_remove,
    edition_articles_add,
    edition_publish,
    edition_save,
    edition_section_move,
    edition_send,
)
from .ingestion import IngestReport, ingest_entries, ingest_source
from .sources import sources_import
from .tagging import DEFAULT_RULES, Tags, article_tag, regle_apply, regle_save, regles_seed_defaults

__all__ = [
    "DEFAULT_RULES",
    "IngestReport",
    "Tags",
    "abonnement_set",
    "article_review",
    "article_suggest",
    "article_summary_save",
    "articles_sort",
    "article_tag",
    "edition_article_move",
    "edition_article_remove",
    "edition_articles_add",
    "edition_publish",
    "edition_save",
    "edition_section_move",
    "edition_send",
    "ingest_entries",
    "ingest_source",
    "regle_apply",
    "regle_save",
    "regles_seed_defaults",
    "sources_import",
]
