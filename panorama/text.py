"""Text folding shared by the matchers and de-duplication: accents, ligatures, case, « St »."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Small words that stay lower case inside a name (« Nogent-le-Rotrou », « de l'Île-Bouchard »).
LINK_WORDS = frozenset(
    {"le", "la", "les", "l", "d", "de", "du", "des", "sur", "sous", "en", "aux", "au", "et", "lez", "a"}
)
STOP_WORDS = LINK_WORDS | frozenset(
    {"un", "une", "pour", "par", "avec", "dans", "qui", "que", "se", "sa", "son", "ses", "est", "sont", "ce", "cette"}
)
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}

_TOKEN = re.compile(r"[A-Za-z0-9]+|[()]")
_WORD = re.compile(r"[a-z0-9]+")
# Ligatures and typographic apostrophes become letters; French and curly quotes become ``"``.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "’": "'", "ʼ": "'", "«": '"', "»": '"', "“": '"', "”": '"'}
)
_NEEDS_LIGATURES = "œŒæÆ’ʼ«»“”"


def fold(text: str) -> str:
    """Strip accents and ligatures, keep case: « Cœur de Ville à Châteauroux » → « Coeur de Ville a Chateauroux »."""
    # Decomposed accents become separate marks that the ASCII encoding drops (fast, in C).
    if any(map(text.__contains__, _NEEDS_LIGATURES)):  # substring scans in C: faster than a regex here
        text = text.translate(_LIGATURES)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def tokens(text: str) -> list[tuple[str, bool]]:
    """Words of ``text`` as ``(lower-case folded word, starts with a capital)``; parentheses kept."""
    result = []
    for raw in _TOKEN.findall(fold(text)):
        low = raw.lower()
        result.append((ABBREVIATIONS.get(low, low), raw[0].isupper()))
    return result


def normalise(text: str) -> str:
    """Lower-case folded words joined by single spaces (for keyword rules and titles)."""
    words = _WORD.findall(fold(text).lower())
    if "st" in words or "ste" in words:
        words = [ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)


_SPLIT = re.compile(r"([A-Za-z0-9]+)")  # words, and what separates them


@dataclass(frozen=True, slots=True)
class Words:
    """A text read once for every matcher: its words folded as written (``raws``), in lower case
    with « St » spelt out (``words``), and what precedes each (``seps``; the last one ends the text)."""

    raws: list[str]
    words: list[str]
    seps: list[str]

    @property
    def normalised(self) -> str:
        """As :func:`normalise` gives it."""
        return " ".join(self.words)


def read(text: str | Words) -> Words:
    if isinstance(text, Words):
        return text
    parts = _SPLIT.split(fold(text))
    raws = parts[1::2]
    words = list(map(str.lower, raws))
    if "st" in words or "ste" in words:
        words = [ABBREVIATIONS.get(word, word) for word in words]
    return Words(raws=raws, words=words, seps=parts[::2])
