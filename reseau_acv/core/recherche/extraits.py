"""Excerpts of results: the passage that holds the query's words, escaped, words in ``<mark>``."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .requete import Requete
from .texte import STOP_WORDS, fold, stem

# Markdown syntax (headings, emphasis, list bullets, code) is not shown in excerpts.
MARKDOWN_MARKS = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)(?=\s)|\*\*|__|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
WINDOW = 32


@lru_cache(maxsize=50000)
def _forms(word: str) -> tuple[str, str] | None:
    """A word of a text as the engine sees it: (folded, stem), or None for a stop word."""
    folded = fold(word)
    return None if folded in STOP_WORDS else (folded, stem(folded))


def _matches(word: str, stems: set[str], prefixes: set[str]) -> bool:
    forms = _forms(word)
    if forms is None:
        return False
    folded, root = forms
    return root in stems or any(root.startswith(p) or folded.startswith(p) for p in prefixes)


def excerpt(text: str, requete: Requete | None, *, length: int = WINDOW) -> SafeString:
    """The passage of ``text`` around the first words the query matches, as safe HTML."""
    text = " ".join(MARKDOWN_MARKS.sub(" ", text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308 (empty)
    tokens = text.split(" ")
    stems = requete.racines() if requete else set()
    prefixes = requete.prefixes() if requete else set()
    first = next(
        (i for i, token in enumerate(tokens) if any(_matches(w, stems, prefixes) for w in TOKEN.findall(token))), None
    )
    start = max(0, first - 6) if first is not None else 0
    window = tokens[start : start + length]
    html = []
    for token in window:
        pieces, last = [], 0
        for m in TOKEN.finditer(token):
            if _matches(m.group(), stems, prefixes):
                pieces.append(escape(token[last : m.start()]))
                pieces.append(f"<mark>{escape(m.group())}</mark>")
                last = m.end()
        pieces.append(escape(token[last:]))
        html.append("".join(pieces))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(tokens) else ""
    return mark_safe(prefix + " ".join(html) + suffix)  # noqa: S308 (every piece was escaped just above)
