"""Tagging: which towns, themes and programmes a press headline names.

Towns are found by :class:`panorama.towns.TownMatcher`, which knows every commune of France and
reads the context of each name (see its module); themes and programmes by the keyword rules staff
edit (:class:`KeywordMatcher`). Both are pure Python over plain data, measured and tested without
a database; :func:`town_matcher` and :func:`keyword_matcher` build them from the tables and cache
them until the towns, the staff corrections or the rules change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .text import STOP_WORDS, Words, fold, normalise, read, tokens
from .towns import Exception_, Mention, TownMatcher, build_matcher, gazetteer

__all__ = [
    "Exception_",
    "KeywordMatcher",
    "Mention",
    "Rule",
    "TownMatcher",
    "build_matcher",
    "compile_motif",
    "fold",
    "gazetteer",
    "keyword_matcher",
    "normalise",
    "same_story",
    "read_fingerprint",
    "title_fingerprint",
    "tokens",
    "town_matcher",
]


def title_fingerprint(title: str) -> str:
    """A title reduced to its meaningful words, to recognise the same story in several titles."""
    return " ".join(w for w, _c in tokens(title) if w not in STOP_WORDS and len(w) > 1 and w not in "()")[:500]


def read_fingerprint(words: Words) -> str:
    """``title_fingerprint`` of a one-line title from ``read(f"{title}\\n{text}")``, the reading tagging
    made already: the title's words are those before the line break."""
    seps = words.seps
    end = next((i for i in range(len(words.words)) if "\n" in seps[i]), len(words.words))
    return " ".join(w for w in words.words[:end] if w not in STOP_WORDS and len(w) > 1)[:500]


def same_story(a: str, b: str, *, threshold: float = 0.7) -> bool:
    """Two fingerprints name the same story when most of their words are shared (Jaccard)."""
    if a == b:
        return bool(a)
    sa, sb = set(a.split()), set(b.split())
    if len(sa) < 3 or len(sb) < 3:
        return False
    return len(sa & sb) / len(sa | sb) >= threshold


_CACHE: dict[str, object] = {}


def town_matcher() -> TownMatcher:
    """The matcher for the towns in the database and staff's corrections, rebuilt only when they change."""
    from villes.models import Ville

    from .models import ExceptionEtiquetage

    towns = Ville.objects.filter(ville_appui=False)
    stamp = towns.order_by("-modifie_le").values_list("modifie_le", flat=True).first()
    learned = ExceptionEtiquetage.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = f"{stamp}:{towns.count()}:{learned}:{ExceptionEtiquetage.objects.count()}"
    if _CACHE.get("key") != key:
        _CACHE["matcher"] = build_matcher(
            list(towns.order_by().values_list("code_insee", "nom", "departement_code")),
            exceptions=[
                Exception_(code, contexte, source_id)
                for code, contexte, source_id in ExceptionEtiquetage.objects.values_list(
                    "ville__code_insee", "contexte", "source_id"
                )
            ],
        )
        _CACHE["key"] = key
    return _CACHE["matcher"]  # type: ignore[return-value]


# --- Keyword rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    pk: int
    motif: str
    theme_id: int | None
    programme_id: int | None
    cible: str = ""


def compile_motif(motif: str) -> re.Pattern:
    """« OPAH-RU » → a pattern on normalised text; ``*`` ends a word with any letters."""
    parts = []
    for word in motif.split():
        star = word.endswith("*")
        core = normalise(word.rstrip("*"))
        if not core:
            continue
        parts.append(re.escape(core) + ("[a-z0-9]*" if star else ""))
    return re.compile(r"(?<![a-z0-9])" + " ".join(parts) + r"(?![a-z0-9])")


WORD_CACHE = 200_000  # words whose rules are remembered (a few MB)


class KeywordMatcher:
    """The rules a text matches, without trying every rule on every text.

    A one-word rule is a look-up in the text's words (« habitat »), or a prefix test on the words
    that begin with the same three letters (« commerç* »); a rule of several words is a regular
    expression, tried only when a word of the text begins like its first word.
    """

    def __init__(self, rules: Iterable[Rule]):
        self.rules = [(rule, compile_motif(rule.motif)) for rule in rules if normalise(rule.motif)]
        self._exact: dict[str, list[int]] = {}  # one word → rules
        self._prefix: dict[str, list[tuple[str, int]]] = {}  # three letters → (word start, rule)
        self._phrases: dict[str, list[int]] = {}  # three letters of the first word → rules of several words
        self._always: list[int] = []
        self._known: set[str] = set()  # words already examined
        self._relevant: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}  # word → (rules hit, phrases to try)
        self._relevant_words: set[str] = set()
        self._needs: list[frozenset[str]] = []  # the whole words a rule's text must hold
        for index, (rule, _pattern) in enumerate(self.rules):
            parts = rule.motif.split()
            needs = set()
            for part in parts:
                part_words = normalise(part.rstrip("*")).split()
                needs.update(part_words[:-1] if part.endswith("*") else part_words)
            self._needs.append(frozenset(needs))
            words = normalise(rule.motif.replace("*", " ")).split()
            star = parts[-1].endswith("*")
            if len(words) == 1 and not star:
                self._exact.setdefault(words[0], []).append(index)
            elif len(words) == 1 and len(words[0]) >= 3:
                self._prefix.setdefault(words[0][:3], []).append((words[0], index))
            elif len(words[0]) >= 3:
                self._phrases.setdefault(words[0][:3], []).append(index)
            else:
                self._always.append(index)  # « 5G* » and other very short phrases: always tried

    def _learn(self, words: set[str]) -> None:
        """Which rules each new word hits (exact word or prefix), and which phrases it calls for."""
        if len(self._known) + len(words) > WORD_CACHE:
            self._known.clear()
            self._relevant.clear()
            self._relevant_words.clear()
        for word in words:
            hits = list(self._exact.get(word, ()))
            start = word[:3]
            hits += [index for prefix, index in self._prefix.get(start, ()) if word.startswith(prefix)]
            phrases = self._phrases.get(start, ())
            if hits or phrases:
                self._relevant[word] = (tuple(hits), tuple(phrases))
                self._relevant_words.add(word)
        self._known |= words

    def find(self, text: str | Words) -> list[Rule]:
        read_text = read(text)
        normalised = read_text.normalised
        words = set(read_text.words)
        if unknown := words - self._known:  # words repeat from text to text: each is examined once
            self._learn(unknown)
        hits: set[int] = set()
        tried: set[int] = set(self._always)
        for word in words & self._relevant_words:  # usually a handful of words
            found, phrases = self._relevant[word]
            hits.update(found)
            tried.update(phrases)
        tried -= hits
        needs = self._needs
        hits.update(index for index in tried if needs[index] <= words and self.rules[index][1].search(normalised))
        return [self.rules[index][0] for index in sorted(hits)]


def keyword_matcher() -> KeywordMatcher:
    from .models import RegleMotCle

    rules = list(
        RegleMotCle.objects.filter(actif=True)
        .order_by("pk")
        .values_list("pk", "motif", "theme_id", "programme_id", "theme__nom_court", "programme__sigle")
    )
    key = repr(rules)
    if _CACHE.get("rules_key") != key:
        _CACHE["keywords"] = KeywordMatcher(
            Rule(pk, motif, theme_id, programme_id, theme or programme or "")
            for pk, motif, theme_id, programme_id, theme, programme in rules
        )
        _CACHE["rules_key"] = key
    return _CACHE["keywords"]  # type: ignore[return-value]
