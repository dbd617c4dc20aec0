"""Excerpts of results: the passage that best answers the query, escaped, its words in ``<mark>``.

A word is marked when it is one of the forms the query *shown* looks for — not only what was
typed: a thesaurus expression of the concept's group, the corrected word of a typo, and for a
relaxed query (``elargie``) the stem beginnings, neighbours and thesaurus groups it widened to.
A phrase form (« établissement public foncier ») is marked only where its words follow one
another, as the engines match it (stop words between them do not count), never word by word.

The passage is the window holding the most distinct concepts of the query, then the most
marked words, the earliest of equals: not merely the first match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .requete import Requete
from .texte import STOP_WORDS, fold, stem

# Markdown syntax (headings, emphasis, list bullets, code) is not shown in excerpts.
MARKDOWN_MARKS = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)(?=\s)|\*\*|__|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
WINDOW = 32
LEAD = 6  # words shown before the passage's first marked word


@lru_cache(maxsize=50000)
def _forms(word: str) -> tuple[str, str] | None:
    """A word of a text as the engine sees it: (folded, stem), or None for a stop word."""
    folded = fold(word)
    return None if folded in STOP_WORDS else (folded, stem(folded))


@dataclass
class _Cibles:
    """What the query looks for, by concept: single stems, stem beginnings, phrases (by first stem)."""

    stems: dict[str, set[int]]
    prefixes: list[tuple[str, int]]
    phrases: dict[str, list[tuple[tuple[str, ...], int]]]

    @classmethod
    def of(cls, requete: Requete | None) -> _Cibles:
        stems: dict[str, set[int]] = {}
        prefixes: list[tuple[str, int]] = []
        phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for position, concept in enumerate(requete.concepts if requete else ()):
            for forme in concept.formes:
                racines = forme.racines
                if forme.prefixe:
                    prefixes.append((racines[0], position))
                elif forme.libre:
                    for racine in racines:
                        stems.setdefault(racine, set()).add(position)
                elif forme.phrase:
                    phrases.setdefault(racines[0], []).append((racines, position))
                else:
                    stems.setdefault(racines[0], set()).add(position)
        return cls(stems, prefixes, phrases)

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes or self.phrases)


def _marks(words: list[str], cibles: _Cibles) -> dict[int, set[int]]:
    """Which words (by position in ``words``) to mark, with the concepts each answers."""
    marked: dict[int, set[int]] = {}
    content = [(i, forms) for i, forms in ((i, _forms(w)) for i, w in enumerate(words)) if forms is not None]
    roots = [root for _i, (_folded, root) in content]
    for k, (i, (folded, root)) in enumerate(content):
        found = set(cibles.stems.get(root, ()))
        found.update(c for p, c in cibles.prefixes if root.startswith(p) or folded.startswith(p))
        if found:
            marked.setdefault(i, set()).update(found)
        for racines, concept in cibles.phrases.get(root, ()):
            if tuple(roots[k : k + len(racines)]) == racines:
                for j, _word in content[k : k + len(racines)]:
                    marked.setdefault(j, set()).add(concept)
    return marked


def _window(token_concepts: list[set[int]], length: int) -> int:
    """The first token of the passage: the window holding the most distinct concepts, then the
    most marked tokens, the earliest of equals (a few words before its first mark)."""
    best, best_score = 0, (-1, -1)
    for i, concepts in enumerate(token_concepts):
        if not concepts:
            continue
        start = max(0, i - LEAD)
        shown = [c for c in token_concepts[start : start + length] if c]
        score = (len(set().union(*shown)), len(shown))
        if score > best_score:
            best, best_score = start, score
    return best


def excerpt(text: str, requete: Requete | None, *, length: int = WINDOW) -> SafeString:
    """The passage of ``text`` that best answers the query, as safe HTML."""
    text = " ".join(MARKDOWN_MARKS.sub(" ", text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308 (empty)
    tokens = text.split(" ")
    spans = [(t, m) for t, token in enumerate(tokens) for m in TOKEN.finditer(token)]
    cibles = _Cibles.of(requete)
    marked = _marks([m.group() for _t, m in spans], cibles) if cibles else {}
    token_concepts: list[set[int]] = [set() for _ in tokens]
    for position, concepts in marked.items():
        token_concepts[spans[position][0]].update(concepts)
    start = _window(token_concepts, length) if marked else 0
    by_token: dict[int, list] = {}
    for position, (t, m) in enumerate(spans):
        if position in marked and start <= t < start + length:
            by_token.setdefault(t, []).append(m)
    html = []
    for t in range(start, min(start + length, len(tokens))):
        token, pieces, last = tokens[t], [], 0
        for m in by_token.get(t, ()):
            pieces.append(escape(token[last : m.start()]))
            pieces.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
        pieces.append(escape(token[last:]))
        html.append("".join(pieces))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(tokens) else ""
    return mark_safe(prefix + " ".join(html) + suffix)  # noqa: S308 (every piece was escaped just above)
