"""The platform's one search engine (DESIGN §4): a French query parser, the network's
thesaurus, typo tolerance, and ranking compiled for PostgreSQL (stored vectors, GIN) and SQLite
(FTS5). Each app declares its ``Index`` in its own ``recherche.py``; accueil lists the groups of
the global search explicitly."""

from .extraits import excerpt
from .index import Champ, Index, index_refresh, row_texts, sqlite_forget, texts_from, vector_sql, vocabulary_add
from .moteur import CANDIDATES, COUNT_LIMIT, FEW_CANDIDATES, Resultats, holds_every, planned, search, search_together
from .page import Recherche, among, choose, excerpt_text, in_order, parse_text, rechercher
from .requete import Requete, parse

__all__ = [
    "CANDIDATES",
    "FEW_CANDIDATES",
    "COUNT_LIMIT",
    "Champ",
    "among",
    "Index",
    "Recherche",
    "choose",
    "excerpt_text",
    "holds_every",
    "in_order",
    "parse_text",
    "rechercher",
    "Requete",
    "Resultats",
    "excerpt",
    "index_refresh",
    "row_texts",
    "texts_from",
    "vector_sql",
    "vocabulary_add",
    "parse",
    "planned",
    "search",
    "search_together",
    "sqlite_forget",
]
