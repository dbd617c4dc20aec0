"""The French query parser.

What a person types becomes a ``Requete``: a list of *concepts* the documents should hold, each
with its alternative forms (the word itself, or the expressions the thesaurus says are the same
thing), and the words to exclude.

- accents, case and ligatures are folded; stop words are dropped; words are stemmed (by each
  backend: PostgreSQL's ``french_stem`` or Snowball in Python, the same algorithm);
- ``"a quoted phrase"`` must appear as such; an unbalanced quote is ignored;
- ``-mot`` excludes the documents holding that word;
- the last word, when the query does not end with a space, also matches as a prefix;
- every other character (``& | ! ( ) : *``, NUL bytes…) is only a separator between words;
- the query is cut at ``MAX_LENGTH`` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .texte import QUERY_STOP_WORDS, STOP_WORDS, fold, stem, words

MAX_LENGTH = 200
MAX_CONCEPTS = 8
MIN_PREFIX = 3
QUOTED = re.compile(r'"([^"]*)"')
EXCLUDED = re.compile(r'(?:^|(?<=\s))-([^\s"-][^\s"]*)')


@dataclass(frozen=True)
class Forme:
    """One way a concept may appear: a word, or a phrase (its words in this order)."""

    texte: str  # folded words, stop words kept (PostgreSQL counts their positions in phrases)
    mots: tuple[str, ...]  # the words that carry meaning
    prefixe: bool = False
    libre: bool = False  # its words anywhere in the document, in any order (not a phrase)
    racine: bool = False  # ``mots`` are stems already (a relaxed query's stem beginning): never stemmed again

    @property
    def racines(self) -> tuple[str, ...]:
        return self.mots if self.racine else tuple(stem(w) for w in self.mots)

    @property
    def phrase(self) -> bool:
        return len(self.mots) > 1 and not self.libre


@dataclass(frozen=True)
class Concept:
    saisi: str  # what the person typed for it
    formes: tuple[Forme, ...]
    du_thesaurus: bool = False

    @property
    def expressions(self) -> list[str]:
        """What it looks for as a person reads it (stem beginnings and the typed words' repeat left out)."""
        return list(dict.fromkeys(f.texte for f in self.formes if not f.prefixe and not f.libre))

    @property
    def poids(self) -> int:
        """How many words of the query it stands for (« îlots de chaleur », one thesaurus
        concept, was typed as two words): what it weighs among the query's concepts."""
        return max(1, sum(1 for w in words(self.saisi) if w not in STOP_WORDS))


@dataclass
class Requete:
    texte: str
    concepts: list[Concept] = field(default_factory=list)
    exclus: list[str] = field(default_factory=list)
    # A relaxed query (``elargie``): its words widened to their neighbours; with ``un_seul``, a
    # document holding any of its concepts is a candidate (not only those holding most of them).
    elargie: bool = False
    un_seul: bool = False
    # What a backend computed from the query once (PostgreSQL's tsqueries), by database alias.
    compile_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def vide(self) -> bool:
        return not self.concepts


def clean(text: str) -> str:
    text = (text or "").replace("\x00", " ")[: MAX_LENGTH * 4]
    return " ".join(text.split())[:MAX_LENGTH]


def _forme(text: str, *, prefixe: bool = False) -> Forme | None:
    found = words(text)
    meaningful = tuple(w for w in found if w not in STOP_WORDS)
    if not meaningful:
        return None
    return Forme(texte=" ".join(found), mots=meaningful, prefixe=prefixe)


def parse(text: str, *, thesaurus=None) -> Requete:
    """Turn what a person typed into a ``Requete`` (``thesaurus``: a ``Thesaurus`` or None)."""
    typing = not (text or "").endswith((" ", '"'))
    text = clean(text)
    requete = Requete(texte=text)
    if not text:
        return requete
    rest = text
    phrases = []
    if text.count('"') >= 2:
        phrases = [p for p in QUOTED.findall(text) if p.strip()]
        rest = QUOTED.sub(" ", text)
    rest = rest.replace('"', " ")
    requete.exclus = [w for raw in EXCLUDED.findall(rest) for w in words(raw) if w not in QUERY_STOP_WORDS]
    rest = EXCLUDED.sub(" ", rest)
    for phrase in phrases:
        forme = _forme(phrase)
        if forme:
            requete.concepts.append(Concept(saisi=phrase.strip(), formes=(forme,)))
    free = words(rest)
    ends_open = typing and bool(free) and fold(text).rstrip().endswith(free[-1])
    tokens = [w for w in free if w not in QUERY_STOP_WORDS]
    expanded = thesaurus.expand(tokens) if thesaurus is not None else [(None, [t]) for t in tokens]
    for i, (group, span) in enumerate(expanded):
        if group is not None:
            formes = [f for f in (_forme(expr) for expr in group) if f]
            if len(span) > 1:  # the words typed, even apart or in another order, still hold what was typed
                formes.append(Forme(texte=" ".join(span), mots=tuple(span), libre=True))
            requete.concepts.append(Concept(saisi=" ".join(span), formes=tuple(formes), du_thesaurus=True))
            continue
        word = span[0]
        last = i == len(expanded) - 1 and ends_open and word == free[-1]
        formes = [Forme(texte=word, mots=(word,))]
        if last and len(word) >= MIN_PREFIX and not word.isdigit():
            formes.append(Forme(texte=word, mots=(word,), prefixe=True))
        requete.concepts.append(Concept(saisi=word, formes=tuple(formes)))
    # The same concept typed twice counts once; very long queries keep their first concepts.
    seen, unique = set(), []
    for concept in requete.concepts:
        key = tuple(sorted(f.racines for f in concept.formes))
        if key not in seen:
            seen.add(key)
            unique.append(concept)
    requete.concepts = unique[:MAX_CONCEPTS]
    return requete
