"""Typo tolerance: a word of the query that the index does not know is replaced by the closest
known word of the indexed titles and summaries — by trigram similarity, with PostgreSQL's
``pg_trgm`` (GIN index) or the same measure computed in Python on SQLite."""

from __future__ import annotations

from django.db import connections

from ..models import MotIndexe
from .requete import EXCLUDED, QUOTED, clean
from .texte import STOP_WORDS, words

THRESHOLD = 0.45
MIN_LENGTH = 4


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def known(candidates: list[str], *, using: str) -> set[str]:
    return set(MotIndexe.objects.using(using).filter(mot__in=candidates).values_list("mot", flat=True))


def closest(word: str, *, using: str) -> str | None:
    found = neighbours(word, using=using, limit=1)
    return found[0] if found else None


def neighbours(word: str, *, using: str, limit: int = 3) -> list[str]:
    """The indexed words closest to ``word`` (at least ``THRESHOLD`` similar), closest first."""
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT mot, similarity(mot, %s) AS s FROM core_motindexe WHERE mot %% %s ORDER BY s DESC, mot LIMIT %s",
                [word, word, limit],
            )
            rows = cursor.fetchall()
        return [mot for mot, score in rows if score >= THRESHOLD]
    candidates = MotIndexe.objects.using(using).filter(mot__startswith=word[:1]).values_list("mot", flat=True)
    scored = [(similarity(word, mot), mot) for mot in candidates if abs(len(mot) - len(word)) <= 3]
    scored.sort(key=lambda item: (-item[0], len(item[1]), item[1]))
    return [mot for score, mot in scored[:limit] if score >= THRESHOLD]


def unknown_words(text: str, *, using: str = "default") -> list[str]:
    """The words of the query the index has never seen (one query, whatever the results)."""
    free = EXCLUDED.sub(" ", QUOTED.sub(" ", clean(text)))
    candidates = [w for w in words(free) if w not in STOP_WORDS and len(w) >= MIN_LENGTH and not w.isdigit()]
    if not candidates:
        return []
    seen = known(candidates, using=using)
    return [w for w in candidates if w not in seen]


def suggest(text: str, *, using: str = "default", unknown: list[str] | None = None) -> str | None:
    """The query with its unknown words corrected, or None when nothing would change."""
    text = clean(text)
    free = EXCLUDED.sub(" ", QUOTED.sub(" ", text))
    unknown = unknown_words(text, using=using) if unknown is None else unknown
    replacements = {}
    for word in unknown:
        better = closest(word, using=using)
        if better and better != word:
            replacements[word] = better
    if not replacements:
        return None
    corrected = [replacements.get(w, w) if w not in STOP_WORDS else w for w in words(free)]
    return " ".join(corrected)
