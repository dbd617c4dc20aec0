"""French text as the search engine sees it: folded (lower case, no accents), cut into words,
without stop words, stemmed with the Snowball French stemmer (the algorithm PostgreSQL's
``french_stem`` uses), so that both backends agree on what a word is."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# PostgreSQL's French stop words (tsearch_data/french.stop), folded, and the words of a question
# typed as a person asks it (« comment », « quels », « faire »…), which say nothing of the subject.
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "a",
        "m",
        "n",
        "s",
        "t",
        "y",
        "ete",
        "etee",
        "etees",
        "etes",
        "etant",
        "etante",
        "etants",
        "etantes",
        "suis",
        "es",
        "est",
        "sommes",
        "sont",
        "serai",
        "seras",
        "sera",
        "serons",
        "serez",
        "seront",
        "serais",
        "serait",
        "serions",
        "seriez",
        "seraient",
        "etais",
        "etait",
        "etions",
        "etiez",
        "etaient",
        "fus",
        "fut",
        "fumes",
        "futes",
        "furent",
        "sois",
        "soit",
        "soyons",
        "soyez",
        "soient",
        "fusse",
        "fusses",
        "fussions",
        "fussiez",
        "fussent",
        "ayant",
        "ayante",
        "ayantes",
        "ayants",
        "eu",
        "eue",
        "eues",
        "eus",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "aurai",
        "auras",
        "aura",
        "aurons",
        "aurez",
        "auront",
        "aurais",
        "aurait",
        "aurions",
        "auriez",
        "auraient",
        "avais",
        "avait",
        "avions",
        "aviez",
        "avaient",
        "eut",
        "eumes",
        "eutes",
        "eurent",
        "aie",
        "aies",
        "ait",
        "ayons",
        "ayez",
        "aient",
        "eusse",
        "eusses",
        "eussions",
        "eussiez",
        "eussent",
        "comment",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "quoi",
        "pourquoi",
        "ou",
        "quand",
        "combien",
        "faire",
        "fait",
        "faut",
        "peut",
        "peuvent",
        "on",
        "quelqu",
        "quelque",
        "quelques",
        "un",
        "une",
        "cela",
        "ceci",
        "ca",
        "cet",
        "cette",
        "celui",
        "celle",
        "ceux",
        "celles",
        "dont",
        "leurs",
        "tout",
        "tous",
        "toute",
        "toutes",
        "tres",
        "plus",
        "moins",
        "bien",
        "deja",
        "si",
        "sans",
        "sous",
        "vers",
        "chez",
        "entre",
        "avoir",
        "etre",
    ]
)
# Words a query never looks for though PostgreSQL's French stop list lacks them (its index keeps
# « les », « contre », « pendant »…): the article every French document holds, and prepositions
# and adverbs that frame a question (« lutter contre… », « pendant le covid ») as « pour »,
# « sans » or « vers » do; as concepts of the query they would count as much as the words that
# say what is sought. Indexes keep them (phrases count their positions), as PostgreSQL does.
QUERY_STOP_WORDS = STOP_WORDS | {
    "les",
    "contre",
    "pendant",
    "depuis",
    "durant",
    "selon",
    "malgre",
    "parmi",
    "lors",
    "afin",
    "ainsi",
    "aussi",
    "alors",
    "donc",
    "car",
    "puis",
    "encore",
    "toujours",
    "jamais",
    "comme",
}
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("french")


_UNUSUAL = re.compile(r"[^\x20-\x7e\t\n\r]")  # what is not plain printable ASCII


@lru_cache(maxsize=4096)
def _kept(char: str) -> str:
    return "" if unicodedata.combining(char) or not (char.isprintable() or char.isspace()) else char


def fold(text: str) -> str:
    """Lower case, without accents, ligatures spelt out, without control characters."""
    text = text.translate(LIGATURES).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    # Only the characters outside plain ASCII are looked at one by one (accents are a few per cent of French).
    return _UNUSUAL.sub(lambda match: _kept(match.group()), decomposed)


def words(text: str) -> list[str]:
    """The folded words of ``text`` (punctuation, operators and apostrophes separate words)."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """What is indexed on SQLite: the stems of the words that carry meaning."""
    return [stem(w) for w in content_words(text)]
