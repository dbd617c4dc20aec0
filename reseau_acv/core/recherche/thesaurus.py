"""The network's thesaurus: groups of expressions that mean the same thing (an acronym and its
expansion, synonyms of the trade). Staff edit it (``EntreeThesaurus``); the parser replaces an
expression of the query by its whole group."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from .texte import QUERY_STOP_WORDS, stem, words

CACHE_KEY = "recherche:thesaurus:v1"


def _key(expression: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(expression) if w not in QUERY_STOP_WORDS)


@dataclass
class Thesaurus:
    groups: list[list[str]] = field(default_factory=list)

    def __post_init__(self):
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, group in enumerate(self.groups):
            for expression in group:
                key = _key(expression)
                if key:
                    self._by_first.setdefault(key[0], []).append((key, index))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def expand(self, tokens: list[str]) -> list[tuple[list[str] | None, list[str]]]:
        """Split the query's words into spans: a thesaurus expression (with its group) or one word."""
        keys = [stem(t) for t in tokens]
        spans, i = [], 0
        while i < len(tokens):
            match = None
            for key, index in self._by_first.get(keys[i], ()):
                if tuple(keys[i : i + len(key)]) == key:
                    match = (key, index)
                    break
            if match:
                spans.append((self.groups[match[1]], tokens[i : i + len(match[0])]))
                i += len(match[0])
            else:
                spans.append((None, [tokens[i]]))
                i += 1
        return spans

    def groups_with(self, root: str) -> list[list[str]]:
        """The groups one of whose expressions holds this stem (anywhere in it)."""
        if not hasattr(self, "_by_stem"):
            self._by_stem: dict[str, list[int]] = {}
            for index, group in enumerate(self.groups):
                for stem_ in {s for expression in group for s in _key(expression)}:
                    self._by_stem.setdefault(stem_, []).append(index)
        return [self.groups[i] for i in self._by_stem.get(root, ())]

    def group_of(self, text: str) -> list[str] | None:
        spans = self.expand([w for w in words(text) if w not in QUERY_STOP_WORDS])
        return spans[0][0] if len(spans) == 1 else None


def split_expressions(text: str) -> list[str]:
    """One expression per line (or separated by « ; »), blanks dropped, duplicates once."""
    seen, result = set(), []
    for raw in text.replace(";", "\n").splitlines():
        expression = " ".join(raw.split())
        if expression and expression.lower() not in seen:
            seen.add(expression.lower())
            result.append(expression)
    return result


_built: dict[tuple, Thesaurus] = {}


def load() -> Thesaurus:
    """The active entries, cached until staff change one (and built once per process for the
    same entries: a request parses its query several times)."""
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from ..models import EntreeThesaurus

        groups = [split_expressions(e.expressions) for e in EntreeThesaurus.objects.filter(actif=True).order_by("pk")]
        cache.set(CACHE_KEY, groups, 3600)
    key = tuple(tuple(group) for group in groups)
    if key not in _built:
        _built.clear()  # only the current entries are kept
        _built[key] = Thesaurus(groups)
    return _built[key]


def forget() -> None:
    cache.delete(CACHE_KEY)
