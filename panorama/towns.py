"""Finding the programme's towns in press text, knowing every commune of France.

The gazetteer holds every name a commune goes by (``data/reference/national/communes_france.csv``,
derived from INSEE's Code officiel géographique by ``scripts/derive_communes_france.py``): the
34,969 current communes, the 2,576 delegated and associated former communes — each designating
the current commune that took it in (« Malesherbes » → Le Malesherbois) — and the short forms
people write (``panorama/data/formes_courtes.csv``: « Romorantin », « Nogent »). It is built once
per process; a :class:`TownMatcher` adds which of those places the platform tracks.

A name is found as whole words of folded text (accents, ligatures, hyphens, « St »), the longest
known name winning (« Nogent-sur-Vernisson » is that commune, not Nogent-le-Rotrou), with its
capitalised words capitalised in the text (« la mer » is not Mer). Then, in order:

1. **Context.** A name that continues with a hyphen (« Nogent-le-Xyz », « Richelieu-Drouot »)
   is another place; so is a name inside a street, square or building name (« boulevard de
   Vierzon », « place Vendôme », « lycée Descartes »), a person's name (« Pierre de Blois »,
   « le cardinal de Richelieu », « Thomas Mer », « M. Brou ») or a quoted title (« Les
   Fantômes de Chinon »).
2. **Which place.** A département written after the name (« Lignières (Cher) », « (18) ») decides;
   otherwise the places in the source's départements; otherwise a name that designates a
   single tracked place of the source's region. Two places left: not tagged.
3. **Staff corrections.** A tag staff removed is remembered with the words before the name
   (« boulevard de » + Vierzon), or for that source when nothing precedes it, and not proposed again.
"""

from __future__ import annotations

import csv
import gc
import itertools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .text import LINK_WORDS, Words, fold, read, tokens

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_DIR = settings.BASE_DIR / "data" / "reference" / "national"
REGION_DEPARTEMENTS = frozenset({"18", "28", "36", "37", "41", "45"})

_FIRST = operator.itemgetter(0)
_PLAIN = re.compile(r"[ '\-]*")  # a separator that keeps words in one phrase (no punctuation)
_HONORIFIC_SEP = re.compile(r"\.? *")

DE = frozenset({"de", "d", "du", "des"})
# A name right after these (« rue de Blois », « rue Descartes ») names a street or a square.
STREETS = frozenset(
    {
        "rue",
        "ruelle",
        "avenue",
        "av",
        "boulevard",
        "bd",
        "allee",
        "allees",
        "impasse",
        "chemin",
        "route",
        "rte",
        "place",
        "square",
        "faubourg",
        "fbg",
        "quai",
        "quais",
        "cours",
        "esplanade",
        "passage",
        "carrefour",
        "parvis",
        "promenade",
        "venelle",
        "sentier",
        "voie",
        "rocade",
        "canal",
        "porte",
        "hotel",
    }
)
# Buildings named after someone or something (« lycée Descartes », « église Saint-Aignan »);
# « le lycée de Vendôme » is in Vendôme, so only the direct form counts.
NAMED_AFTER = STREETS | frozenset(
    {
        "lycee",
        "college",
        "ecole",
        "eglise",
        "collegiale",
        "cathedrale",
        "basilique",
        "chapelle",
        "bibliotheque",
        "mediatheque",
        "universite",
        "stade",
        "gymnase",
        "salle",
        "station",
        "residence",
        "clinique",
        "caserne",
        "theatre",
        "cinema",
        "institut",
        "fondation",
        "piscine",
        "espace",
    }
)
TITLES = frozenset(
    {
        "duc",
        "duchesse",
        "comte",
        "comtesse",
        "marquis",
        "marquise",
        "vicomte",
        "vicomtesse",
        "baron",
        "baronne",
        "prince",
        "princesse",
        "sire",
        "seigneur",
        "dame",
        "roi",
        "reine",
        "cardinal",
        "chevalier",
        "dauphin",
        "dauphine",
    }
)
HONORIFICS = frozenset({"m", "mme", "mmes", "mlle", "mgr", "me", "dr"})
STARTS = frozenset({"le", "la", "les", "l", "au", "aux", "du", "des"})


@dataclass(frozen=True, slots=True)
class Place:
    """A name of a commune: ``lieu`` is the INSEE code of the current commune it designates."""

    nom: str
    departement: str
    lieu: str
    forme: str = ""  # "" (the commune's name), "courte" (« Romorantin »), "ancienne" (a former commune)
    exige_departement: bool = False  # a short form found only in a source covering its département


@dataclass(frozen=True)
class Mention:
    code_insee: str
    nom: str
    texte: str
    raison: str
    contexte: str = ""  # the words right before the name, for the exceptions staff corrections teach


@dataclass(frozen=True)
class Exception_:
    """A tag staff removed: ``code`` is not proposed after ``contexte`` (or in ``source_id``'s articles)."""

    code: str
    contexte: str
    source_id: int | None = None


@dataclass
class _Alias:
    words: tuple[str, ...]
    capitals: tuple[bool, ...]
    places: list[Place] = field(default_factory=list)


def _variants(nom: str) -> list[list[tuple[str, bool]]]:
    """The written forms of a name: itself, and « au Blanc » / « du Blanc » for « Le Blanc »."""
    base = [t for t in tokens(nom) if t[0] not in "()"]
    forms = [base]
    if base and base[0][0] in {"le", "les"}:
        contracted = ("au", "du") if base[0][0] == "le" else ("aux", "des")
        forms += [[(c, False), *base[1:]] for c in contracted]
    return forms


class _Trie:
    def __init__(self):
        self.root: dict = {}
        self.size = 0

    def add(self, place: Place) -> None:
        for form in _variants(place.nom):
            node = self.root
            for word, _cap in form:
                node = node.setdefault(word, {})
            alias = node.get("")
            if alias is None:
                alias = node[""] = _Alias(
                    words=tuple(w for w, _c in form), capitals=tuple(c and w not in LINK_WORDS for w, c in form)
                )
                self.size += 1
            if place not in alias.places:
                alias.places.append(place)

    def longest(self, words: list[str], caps: list[bool], start: int) -> tuple[_Alias | None, int]:
        """The longest name starting at word ``start`` whose capitalised words are capitalised."""
        node = self.root.get(words[start])
        best, best_end, j, n = None, start, start, len(words)
        while node is not None:
            alias = node.get("")
            if alias is not None and all(caps[start + k] for k, needed in enumerate(alias.capitals) if needed):
                best, best_end = alias, j + 1
            j += 1
            node = node.get(words[j]) if j < n else None
        return best, best_end


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Gazetteer:
    """Every commune name of France, short forms included; built once per process."""

    trie: _Trie
    current: frozenset[str]  # INSEE codes of current communes
    chef_lieu: dict[str, str]  # former commune's code → current commune's code
    departement_names: dict[str, str]  # folded name → code (« loir et cher » → 41)
    region: dict[str, str]  # département → région
    names: int = 0

    def has_name(self, nom: str, lieu: str) -> bool:
        node = self.trie.root
        for word, _cap in _variants(nom)[0]:
            node = node.get(word)
            if node is None:
                return False
        alias = node.get("")
        return alias is not None and any(p.lieu == lieu for p in alias.places)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    trie = _Trie()
    current, chef_lieu = set(), {}
    rows = _read_csv(NATIONAL_DIR / "communes_france.csv")
    for row in rows:
        if row["chef_lieu"]:
            chef_lieu[row["code"]] = row["chef_lieu"]
        else:
            current.add(row["code"])
    for row in rows:
        if row["chef_lieu"]:
            trie.add(Place(row["nom"], row["departement"], row["chef_lieu"], forme="ancienne"))
        else:
            trie.add(Place(row["nom"], row["departement"], row["code"]))
    departements = _read_csv(NATIONAL_DIR / "departements_france.csv")
    for row in _read_csv(DATA_DIR / "formes_courtes.csv"):
        departement = next((d["code"] for d in departements if row["code_insee"].startswith(d["code"])), "")
        trie.add(
            Place(
                row["forme"],
                departement,
                row["code_insee"],
                forme="courte",
                exige_departement=row["exige_departement"] == "oui",
            )
        )
    places = Gazetteer(
        trie=trie,
        current=frozenset(current),
        chef_lieu=chef_lieu,
        departement_names={" ".join(w for w, _c in tokens(d["nom"])): d["code"] for d in departements},
        region={d["code"]: d["region"] for d in departements},
        names=len(rows),
    )
    # The gazetteer's hundreds of thousands of objects live as long as the process: set apart from
    # the garbage collector, which would otherwise walk them at every full collection (ingestion
    # allocates a lot and triggered them often).
    gc.collect()
    gc.freeze()
    return places


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    lines = (DATA_DIR / "prenoms.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line).lower() for line in lines if line and not line.startswith("#"))


class TownMatcher:
    """Finds the tracked towns a text names, with the source's départements in mind."""

    def __init__(
        self,
        towns: Iterable[tuple[str, str, str]],
        *,
        exceptions: Iterable[Exception_] = (),
        places: Gazetteer | None = None,
    ):
        self.places = places or gazetteer()
        self.first_names = first_names()
        self.names: dict[str, str] = {}  # tracked code → official name
        self.code_of: dict[str, str] = {}  # current commune's code → tracked code
        self.extra = _Trie()  # tracked towns the gazetteer does not know under that name
        for code, nom, departement in towns:
            self.names[code] = nom
            lieu = self.places.chef_lieu.get(code, code)  # a tracked code merged since: its new commune
            self.code_of.setdefault(lieu, code)
            self.code_of[code] = code
            if not self.places.has_name(nom, lieu):
                self.extra.add(Place(nom, departement, code))
        self.exceptions: dict[str, list[Exception_]] = {}
        for exception in exceptions:
            self.exceptions.setdefault(exception.code, []).append(exception)
        self.size = self.places.trie.size + self.extra.size
        self.first_words = frozenset(self.places.trie.root) | frozenset(self.extra.root)

    # --- Reading the text ----------------------------------------------------------------------

    def find(
        self, text: str | Words, *, departements: Iterable[str] = (), source_id: int | None = None
    ) -> list[Mention]:
        """Tracked towns named in ``text`` (or its :class:`Words`), one mention per town, in order of appearance."""
        source_deps = frozenset(departements) - {""} or REGION_DEPARTEMENTS
        read_text = read(text)
        seps, raws, words = read_text.seps, read_text.raws, read_text.words
        # Only the words some name begins with are looked at (set operations in C, then a few positions).
        firsts = self.first_words.intersection(words)
        if not firsts:
            return []
        caps = list(map(str.isupper, map(_FIRST, raws)))
        found: dict[str, Mention] = {}
        i = 0
        # A name starts with a capital, or with « le », « la », « l' », « du »… before one.
        for start in itertools.compress(range(len(words)), map(firsts.__contains__, words)):
            if start < i or not (caps[start] or words[start] in STARTS):
                continue
            alias, end = self._longest(words, caps, start)
            if alias is None:
                continue
            written = " ".join(raws[start:end])
            mention = self._mention(alias, words, caps, seps, start, end, source_deps, source_id, written)
            if mention is not None and mention.code_insee not in found:
                found[mention.code_insee] = mention
            i = end
        return list(found.values())

    def _longest(self, words, caps, start) -> tuple[_Alias | None, int]:
        alias, end = self.places.trie.longest(words, caps, start)
        if self.extra.size:
            other, other_end = self.extra.longest(words, caps, start)
            if other is not None and other_end > end:
                return other, other_end
        return alias, end

    def _mention(self, alias, words, caps, seps, i, end, source_deps, source_id, written) -> Mention | None:
        if self._continued(words, caps, seps, i, end):
            return None
        head = i
        while head > 0 and seps[head] == "-":  # « Paris-Descartes »: the context is the compound's
            head -= 1
        if self._inside_a_name(words, caps, seps, head):
            return None
        resolved = self._resolve(alias, words, seps, end, source_deps)
        if resolved is None:
            return None
        code, reason = resolved
        context = self._context(words, seps, head)
        for exception in self.exceptions.get(code, ()):
            if exception.source_id is not None and exception.source_id != source_id:
                continue
            if not exception.contexte or f" {context}".endswith(f" {exception.contexte}"):
                return None  # staff removed this town after these words before
        return Mention(code_insee=code, nom=self.names[code], texte=written, raison=reason, contexte=context)

    def _continued(self, words, caps, seps, i, end) -> bool:
        """« Nogent-le-Xyz », « Richelieu-Drouot », « Saint-Martin-de-Blois »: a longer, unknown name."""
        n = len(words)
        if end < n and seps[end] == "-":
            following = words[end]
            if following in LINK_WORDS or (caps[end] and self._longest(words, caps, end)[0] is None):
                return True
        if i > 0 and seps[i] == "-":
            previous = words[i - 1]
            if previous in LINK_WORDS:
                return True
            if caps[i - 1]:
                # « Orléans-Blois » joins two known places; an unknown word before makes one name.
                start = i - 1
                while start > 0 and seps[start] == "-":
                    start -= 1
                return all(self._longest(words, caps, k)[1] != i for k in range(start, i))
        return False

    def _inside_a_name(self, words, caps, seps, k) -> bool:
        """A street, a building, a person or a quoted title that contains the town's name."""
        plain = _PLAIN.fullmatch
        if k >= 1 and plain(seps[k]):
            before = words[k - 1]
            if before in NAMED_AFTER:
                return True  # « place Vendôme », « lycée Descartes », « église Saint-Aignan »
            if caps[k - 1] and before in self.first_names:
                return True  # « Thomas Mer », « René Descartes »: a family name
        if k >= 1 and words[k - 1] in HONORIFICS and _HONORIFIC_SEP.fullmatch(seps[k]):
            return True  # « M. Brou »
        if k >= 2 and words[k - 1] in DE and plain(seps[k]) and plain(seps[k - 1]):
            owner = words[k - 2]
            if owner in STREETS or (owner == "point" and k >= 3 and words[k - 3] == "rond"):
                return True  # « boulevard de Vierzon », « rond-point de Blois »
            if owner in TITLES and not (k >= 3 and words[k - 3] == "notre"):
                return True  # « le duc de Sully », but « Notre-Dame de Chartres » is the cathedral
            if caps[k - 2] and owner in self.first_names:
                return True  # « Pierre de Blois »
            if caps[k - 2] and _inside_quotes(seps, k):
                return True  # « Les Fantômes de Chinon »
        return False

    def _hint(self, words, seps, end) -> str | None:
        """A département written right after the name: « Lignières (Cher) », « Blois (41) »."""
        if end >= len(seps) or "(" not in seps[end]:
            return None
        inside = []
        for k in range(end, len(words)):
            if k > end and ")" in seps[k]:
                break
            inside.append(words[k])
            if len(inside) > 4:
                return None
        label = " ".join(inside)
        if re.fullmatch(r"[0-9]{2,3}|2[ab]", label):
            return label.upper()
        return self.places.departement_names.get(label)

    def _resolve(self, alias: _Alias, words, seps, end, source_deps) -> tuple[str, str] | None:
        candidates = alias.places
        hint = self._hint(words, seps, end)
        if hint is not None:
            chosen = [p for p in candidates if p.departement == hint]
            reason = f"département indiqué ({hint})"
        else:
            chosen = [p for p in candidates if p.departement in source_deps]
            reason = "département couvert par la source"
            if not chosen:
                chosen, reason = self._unique_in_region(candidates, source_deps), "nom sans homonyme connu"
        lieux = {p.lieu for p in chosen}
        if len(lieux) != 1:
            return None  # no such place here, or several: not tagged
        code = self.code_of.get(lieux.pop())
        if code is None:
            return None  # a commune the platform does not track
        forme = chosen[0].forme if len({p.forme for p in chosen}) == 1 else ""
        if forme == "courte":
            reason = f"forme courte ; {reason}"
        elif forme == "ancienne":
            reason = f"ancienne commune de {self.names[code]} ; {reason}"
        return code, reason

    def _unique_in_region(self, candidates: list[Place], source_deps: frozenset[str]) -> list[Place]:
        """A name that designates one tracked place only, in the source's region (« Blois » in a Tours paper)."""
        lieux = {p.lieu for p in candidates}
        if len(lieux) != 1 or any(p.exige_departement for p in candidates):
            return []
        regions = {self.places.region.get(d) for d in source_deps}
        return [p for p in candidates if self.places.region.get(p.departement) in regions]

    @staticmethod
    def _context(words, seps, k) -> str:
        """Up to two words before position ``k`` in the same phrase (« boulevard de »)."""
        context = []
        while k > 0 and len(context) < 2 and _PLAIN.fullmatch(seps[k]):
            k -= 1
            context.insert(0, words[k])
        return " ".join(context)


def _inside_quotes(seps: list[str], k: int) -> bool:
    """Word ``k`` is inside « … » or "…" (quotes are folded to ``"``)."""
    return sum(sep.count('"') for sep in seps[: k + 1]) % 2 == 1


def build_matcher(towns: Iterable[tuple[str, str, str]], *, exceptions: Iterable[Exception_] = ()) -> TownMatcher:
    """A matcher for tracked ``(code_insee, nom, departement)`` towns, knowing every commune of France."""
    return TownMatcher(list(towns), exceptions=exceptions)
