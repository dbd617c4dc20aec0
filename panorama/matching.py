"""Tagging: which towns, themes and programmes a press headline names.

Towns are found with a token trie built once (all the region's ACV towns and PVD communes, their
short forms, plus about 1,850 communes of the national ACV and PVD lists and a few known
homonyms, so that a name that also exists elsewhere is resolved with the source's départements
in mind). Text is folded (accents, œ, hyphens, apostrophes, « St »), so « Romorantin-Lanthenay »,
« Romorantin Lanthenay » and « ROMORANTIN » agree; matching is on whole tokens, so « Gien » is
not found inside « Giennois », and the longest name wins (« Beaulieu-lès-Loches » is not
« Loches »). Capitalised words of a name must be capitalised in the text (« la mer » is not Mer).

The matcher is pure Python over plain data, so it can be measured and tested without a database;
:func:`town_matcher` builds it from the ``Ville`` table and caches it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_DIR = settings.BASE_DIR / "data" / "reference" / "national"
REGION_DEPARTEMENTS = frozenset({"18", "28", "36", "37", "41", "45"})

# Small words that stay lower case inside a name (« Nogent-le-Rotrou », « de l'Île-Bouchard »).
LINK_WORDS = frozenset(
    {"le", "la", "les", "l", "d", "de", "du", "des", "sur", "sous", "en", "aux", "au", "et", "lès", "lez", "a"}
)
STOP_WORDS = LINK_WORDS | frozenset(
    {"un", "une", "pour", "par", "avec", "dans", "qui", "que", "se", "sa", "son", "ses", "est", "sont", "ce", "cette"}
)
DEPARTEMENT_NAMES = {
    "cher": "18",
    "eure et loir": "28",
    "indre": "36",
    "indre et loire": "37",
    "loir et cher": "41",
    "loiret": "45",
}
_TOKEN = re.compile(r"[A-Za-z0-9]+|[()]")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "’": "'", "ʼ": "'"})
_NEEDS_LIGATURES = re.compile("[œŒæÆ’ʼ]")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def fold(text: str) -> str:
    """Strip accents and ligatures, keep case: « Cœur de Ville à Châteauroux » → « Coeur de Ville a Chateauroux »."""
    # Decomposed accents become separate marks that the ASCII encoding drops (fast, in C).
    if _NEEDS_LIGATURES.search(text):
        text = text.translate(_LIGATURES)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def tokens(text: str) -> list[tuple[str, bool]]:
    """Words of ``text`` as ``(lower-case folded word, starts with a capital)``; parentheses kept."""
    result = []
    for raw in _TOKEN.findall(fold(text)):
        low = raw.lower()
        result.append((_ABBREVIATIONS.get(low, low), raw[0].isupper()))
    return result


def normalise(text: str) -> str:
    """Lower-case folded words joined by single spaces (for keyword rules and titles)."""
    return " ".join(word for word, _cap in tokens(text) if word not in "()")


def title_fingerprint(title: str) -> str:
    """A title reduced to its meaningful words, to recognise the same story in several titles."""
    return " ".join(w for w, _c in tokens(title) if w not in STOP_WORDS and len(w) > 1 and w not in "()")[:500]


def same_story(a: str, b: str, *, threshold: float = 0.7) -> bool:
    """Two fingerprints name the same story when most of their words are shared (Jaccard)."""
    if a == b:
        return bool(a)
    sa, sb = set(a.split()), set(b.split())
    if len(sa) < 3 or len(sb) < 3:
        return False
    return len(sa & sb) / len(sa | sb) >= threshold


# --- Towns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A name the matcher knows: a tracked town (``code`` set) or a commune elsewhere (``code`` empty)."""

    nom: str
    departement: str
    code: str = ""
    short_form: bool = False
    needs_source_departement: bool = False
    officiel: str = ""  # the official name, for a short form

    @property
    def tracked(self) -> bool:
        return bool(self.code)


@dataclass(frozen=True)
class Mention:
    code_insee: str
    nom: str
    texte: str
    raison: str


@dataclass
class _Alias:
    words: tuple[str, ...]
    capitals: tuple[bool, ...]
    communes: list[Commune] = field(default_factory=list)


def _variants(nom: str) -> list[list[tuple[str, bool]]]:
    """The written forms of a name: itself, and « au Blanc » / « du Blanc » for « Le Blanc »."""
    base = [t for t in tokens(nom) if t[0] not in "()"]
    forms = [base]
    if base and base[0][0] in {"le", "les"}:
        contracted = ("au", "du") if base[0][0] == "le" else ("aux", "des")
        forms += [[(c, False), *base[1:]] for c in contracted]
    return forms


class TownMatcher:
    """Finds the tracked towns a text names, with the source's départements in mind."""

    def __init__(self, communes: Iterable[Commune]):
        self._root: dict = {}
        self.size = 0
        tracked_keys = set()
        communes = list(communes)
        for commune in communes:
            if commune.tracked and not commune.short_form:
                tracked_keys.add((normalise(commune.nom), commune.departement))
        for commune in communes:
            if not commune.tracked and (normalise(commune.nom), commune.departement) in tracked_keys:
                continue  # the national list repeats the region's own communes
            for form in _variants(commune.nom):
                self._add(form, commune)

    def _add(self, form: list[tuple[str, bool]], commune: Commune) -> None:
        node = self._root
        for word, _cap in form:
            node = node.setdefault(word, {})
        alias = node.get("")
        if alias is None:
            alias = node[""] = _Alias(
                words=tuple(w for w, _c in form),
                capitals=tuple(c and w not in LINK_WORDS for w, c in form),
            )
            self.size += 1
        if commune not in alias.communes:
            alias.communes.append(commune)

    def find(self, text: str, *, departements: Iterable[str] = ()) -> list[Mention]:
        """Tracked towns named in ``text``, one mention per town, in order of appearance."""
        source_deps = frozenset(departements) or REGION_DEPARTEMENTS
        raw = _TOKEN.findall(fold(text))
        words = [(_ABBREVIATIONS.get(w.lower(), w.lower()), w[0].isupper()) for w in raw]
        n = len(words)
        found: dict[str, Mention] = {}
        i = 0
        root = self._root
        while i < n:
            node = root.get(words[i][0])
            if node is None:
                i += 1
                continue
            best, best_end, j = None, i, i
            while node is not None:
                alias = node.get("")
                if alias is not None and self._capitalised(alias, words, i):
                    best, best_end = alias, j + 1
                j += 1
                node = node.get(words[j][0]) if j < n else None
            if best is None:
                i += 1
                continue
            mention = self._resolve(best, words, best_end, source_deps, written=" ".join(raw[i:best_end]))
            if mention is not None and mention.code_insee not in found:
                found[mention.code_insee] = mention
            i = best_end
        return list(found.values())

    @staticmethod
    def _capitalised(alias: _Alias, words: list[tuple[str, bool]], start: int) -> bool:
        return all(words[start + k][1] for k, needed in enumerate(alias.capitals) if needed)

    @staticmethod
    def _hint(words: list[tuple[str, bool]], end: int) -> str | None:
        """A département given right after the name: « Lignières (Cher) », « Blois (41) »."""
        if end >= len(words) or words[end][0] != "(":
            return None
        inside = []
        for word, _cap in words[end + 1 : end + 5]:
            if word == ")":
                break
            inside.append(word)
        label = " ".join(inside)
        if re.fullmatch(r"[0-9]{2}|2[ab]", label):
            return label.upper()
        return DEPARTEMENT_NAMES.get(label)

    def _resolve(self, alias: _Alias, words, end: int, source_deps: frozenset[str], written: str) -> Mention | None:
        text = written
        candidates = alias.communes
        hint = self._hint(words, end)
        if hint is not None:
            chosen = [c for c in candidates if c.departement == hint]
            reason = f"département indiqué ({hint})"
        else:
            chosen = [c for c in candidates if c.departement in source_deps]
            reason = "département couvert par la source"
            unique = len(candidates) == 1 and candidates[0].tracked and not candidates[0].needs_source_departement
            if not chosen and unique:
                # A unique, well-known name from a title in a neighbouring département.
                chosen = candidates
                reason = "nom sans homonyme connu"
        codes = {c.code for c in chosen}
        if len(chosen) == 0 or len(codes) != 1 or "" in codes:
            return None  # another commune of that name, or ambiguous: not tagged
        commune = next(c for c in chosen if c.tracked)
        if commune.short_form:
            reason = f"forme courte ; {reason}"
        return Mention(code_insee=commune.code, nom=commune.officiel or commune.nom, texte=text, raison=reason)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def other_communes() -> tuple[Commune, ...]:
    """Communes outside the tracked list: the national ACV and PVD lists and known homonyms."""
    result = []
    for name in ("acv_communes.csv", "pvd_communes.csv"):
        for row in _read_csv(NATIONAL_DIR / name):
            result.append(Commune(nom=row["name"], departement=row["departement_code"]))
    for row in _read_csv(DATA_DIR / "homonymes.csv"):
        result.append(Commune(nom=row["nom"], departement=row["departement_code"]))
    return tuple(result)


def short_forms(tracked: dict[str, Commune]) -> list[Commune]:
    """Short forms people write (« Romorantin », « Nogent ») for the tracked towns present."""
    result = []
    for row in _read_csv(DATA_DIR / "formes_courtes.csv"):
        town = tracked.get(row["code_insee"])
        if town is None:
            continue
        result.append(
            Commune(
                nom=row["forme"],
                departement=town.departement,
                code=town.code,
                short_form=True,
                needs_source_departement=row["exige_departement"] == "oui",
                officiel=town.nom,
            )
        )
    return result


def build_matcher(towns: Iterable[tuple[str, str, str]]) -> TownMatcher:
    """A matcher for tracked ``(code_insee, nom, departement)`` towns, aware of the national list."""
    tracked = {code: Commune(nom=nom, departement=dep, code=code) for code, nom, dep in towns}
    return TownMatcher([*tracked.values(), *short_forms(tracked), *other_communes()])


_CACHE: dict[str, object] = {}


def town_matcher() -> TownMatcher:
    """The matcher for the towns in the database, rebuilt only when the towns change."""
    from villes.models import Ville

    towns = Ville.objects.filter(ville_appui=False).order_by().values_list("code_insee", "nom", "departement_code")
    stamp = Ville.objects.filter(ville_appui=False).order_by("-modifie_le").values_list("modifie_le", flat=True).first()
    key = f"{stamp}:{Ville.objects.filter(ville_appui=False).count()}"
    if _CACHE.get("key") != key:
        _CACHE["matcher"] = build_matcher(list(towns))
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


class KeywordMatcher:
    def __init__(self, rules: Iterable[Rule]):
        self.rules = [(rule, compile_motif(rule.motif)) for rule in rules if normalise(rule.motif)]

    def find(self, text: str) -> list[Rule]:
        normalised = normalise(text)
        return [rule for rule, pattern in self.rules if pattern.search(normalised)]


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
