"""The pairs of neighbouring words of a new story's search vector, computed in Python at ingestion.

Every stored vector holds, beside its words, the pairs of neighbouring words (see
``reseau_acv.core.recherche.index``). PostgreSQL derives them from the vector with the SQL function
``recherche_paires_liste``, which costs more than stemming the texts: it unnests every position of
every word, sorts them and aggregates, row by row. Ingestion writes thousands of rows a second, so
for a text PostgreSQL's parser is sure to read as words and numbers in order — letters, digits,
spaces and plain punctuation, a hyphen only inside a compound — the pairs are made here from each
word's stem, asked of PostgreSQL once per word and kept in memory. Any other text (a link, an
address, « 3,5 », « 10h30 », « € ») gets its pairs from the SQL function, as before: the result is
the same vector either way (tests compare both on real titles and on random texts).
"""

from __future__ import annotations

import re
from collections import Counter

from reseau_acv.core.recherche.index import CONFIG

LETTERS = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
SPACES = " \t\n\r\xa0\u202f\u2009"
_TOKEN = re.compile(f"[{LETTERS}]+|[0-9]+")
# What could make PostgreSQL's parser read a text otherwise than as its runs of letters and of
# digits, in order: another character (« / », « @ », « _ », « & », « % »…), a hyphen that does not
# join two letters (nor stands between spaces), a full stop or a colon followed by a word (a host
# name, a link, a time) or a full stop (« .. » is a word), letters and digits run together, a
# number written with a comma or an apostrophe, a word too long to be indexed. Each check is a
# quick scan, made only when the text holds what it looks for.
_OTHER = re.compile(rf"[^{LETTERS}0-9{SPACES},;!?()«»\"“”'’–—….:-]")
_HYPHEN = re.compile(  # a hyphen between two letters, or between two spaces, is sure
    rf"-(?:(?<![{LETTERS}{SPACES}]-)|(?<=[{LETTERS}]-)(?![{LETTERS}])|(?<=[{SPACES}]-)(?![{SPACES}]))"
)
_FULL_STOP = re.compile(rf"\.[^{SPACES}…»)\"”]")  # each begins with its character: a fast scan
_COLON = re.compile(rf":[^{SPACES}…»)\"”]")
_NUMBER = re.compile(rf"[0-9][{LETTERS}]|[{LETTERS}][0-9]|[0-9][,'’][0-9]")
_LONG = re.compile(rf"[{LETTERS}0-9]{{1000}}")  # 1,000 letters of two bytes at most: within PostgreSQL's 2,047


def _sure(text: str) -> bool:
    return not (
        _OTHER.search(text)
        or ("-" in text and _HYPHEN.search(text))
        or ("." in text and _FULL_STOP.search(text))
        or (":" in text and _COLON.search(text))
        or (any(map(text.__contains__, "0123456789")) and _NUMBER.search(text))
        or (len(text) > 1000 and _LONG.search(text))
    )


# PostgreSQL keeps at most 256 positions of a word and numbers positions up to 16,383 (a compound takes
# one more than its parts): past these bounds, the SQL function decides.
MAX_POSITIONS = 256
MAX_TOKENS = 8000
# A word as written → its lexeme; "" for a stop word or a lexeme with a hyphen (neither makes pairs);
# SEVERAL (no lexeme has a NUL) when PostgreSQL gives several, which sends the row to the SQL function.
_STEMS: dict[str, str] = {}
SEVERAL = "\x00"
LATER = object()  # what ``pairs`` answers while a word's stem is not known yet
_STEMS_MAX = 100_000  # about 10 MB; emptied when full


def stems_learn(cursor, rows) -> None:
    """Ask PostgreSQL, in one query, the lexemes of the words of these rows (lists of words, or None)
    not met yet (``cursor``: psycopg's)."""
    words: set[str] = set()
    for row in rows:
        if row:
            words.update(row)
    missing = words - _STEMS.keys()
    if not missing:
        return
    if len(_STEMS) + len(missing) > _STEMS_MAX:
        _STEMS.clear()
        missing = words
    cursor.execute(
        f"SELECT w, tsvector_to_array(to_tsvector('{CONFIG}', w)) FROM unnest(%s::text[]) AS w",  # noqa: S608 (our configuration)
        [list(missing)],
    )
    for word, lexemes in cursor.fetchall():
        if len(lexemes) == 1:
            _STEMS[word] = "" if "-" in lexemes[0] else lexemes[0]
        else:
            _STEMS[word] = SEVERAL if lexemes else ""


def tokens(texts: tuple[str, ...]) -> list[str] | None:
    """The words and numbers of a row's texts in order (weights A to D), or None when unsure."""
    result = []
    read: dict[str, list[str]] = {}  # an appearance's title is often the story's title
    for text in texts:
        if text:
            if (found := read.get(text)) is None:
                if not _sure(text):
                    return None
                found = read[text] = _TOKEN.findall(text)
            result += found
    return result


def pairs(words: list[str]) -> str | object | None:
    """The row's pairs as ``recherche_paires_liste`` gives them, one per line; None when PostgreSQL
    must compute them; ``LATER`` when a word's stem is not known yet (``stems_learn``, then again)."""
    if len(words) > MAX_TOKENS:
        return None
    lexemes = list(map(_STEMS.get, words))
    if None in lexemes:  # not known yet (or forgotten meanwhile, the memory being full)
        return LATER
    if SEVERAL in lexemes:
        return None
    sequence = list(filter(None, lexemes))
    if len(sequence) >= MAX_POSITIONS and max(Counter(sequence).values()) >= MAX_POSITIONS:
        return None
    # A pair met twice is written twice: ``array_to_tsvector`` keeps one.
    return "\n".join(map("~{} {}".format, sequence, sequence[1:]))
