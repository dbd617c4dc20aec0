"""De-duplication: one appearance per canonical link, one story per set of near-identical titles."""

from __future__ import annotations

import zlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "xtor",
        "xtref",
        "at_medium",
        "at_campaign",
        "at_platform",
        "at_creation",
        "at_variant",
        "at_send_date",
        "at_recipient_id",
        "at_recipient_list",
        "_ga",
        "igshid",
        "ref",
        "ref_src",
        "cmp",
        "origine",
    }
)


def canonical_url(url: str) -> str:
    """The link without tracking parameters, fragment, default port or case in the host.

    « https://www.Example.fr:443/a/b?utm_source=rss&id=3#top » → « https://www.example.fr/a/b?id=3 »
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))[:1000]


SAME_STORY = 0.7  # share of words two titles of one story have in common (Jaccard)


class _Ranks(dict):
    """Each word's place in the fixed hash order, computed once (words repeat from title to title)."""

    def __missing__(self, word: str) -> int:
        if len(self) > 200_000:
            self.clear()
        rank = self[word] = zlib.crc32(word.encode())
        return rank


_RANK = _Ranks().__getitem__


def _sample(words: frozenset[str], size: int = 4) -> list[str]:
    """The ``size`` words of a title that come first in the fixed hash order (a « min-hash » sample)."""
    return sorted(words, key=_RANK)[:size]


def _pairs(sample: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for k, a in enumerate(sample) for b in sample[k + 1 :]]


def _keys(fingerprint: str, sample: int = 4) -> list[tuple[str, str]]:
    """Pairs among the first words of a title in a fixed hash order."""
    return _pairs(_sample(frozenset(fingerprint.split()), sample))


class StoryIndex:
    """Recent stories, indexed by their exact title and by pairs of four sampled words.

    Each title samples the four of its words that come first in a fixed hash order. Two titles of
    one story share most of their words (Jaccard ≥ 0.7), so their samples share two words (the
    min-hash property: the first word of one is the other's with probability equal to the Jaccard);
    comparing only the stories in those few buckets keeps de-duplication linear in the number of
    entries, and the buckets stay small however common a word is (pairs spread over the vocabulary).
    """

    def __init__(self, stories: list[tuple[object, str]], *, per_bucket: int = 100):
        # A bucket holds (story, its words, how many) so that a candidate is judged without look-ups,
        # and beside them the words alone, for a first count of the words in common done in C.
        self._by_pair: dict[tuple[str, str], tuple[list[tuple[object, frozenset[str], int]], list[frozenset[str]]]] = {}
        self._by_title: dict[str, object] = {}
        self._per_bucket = per_bucket
        for key, fingerprint in stories:
            self.add(key, fingerprint)

    def add(self, key: object, fingerprint: str) -> None:
        words = frozenset(fingerprint.split())
        self._by_title[fingerprint] = key
        entry = (key, words, len(words))
        by_pair = self._by_pair
        for pair in _pairs(_sample(words)):
            bucket = by_pair.get(pair)
            if bucket is None:
                by_pair[pair] = ([entry], [words])
            else:
                bucket[0].append(entry)
                bucket[1].append(words)

    def find(self, fingerprint: str, *, threshold: float = SAME_STORY) -> object | None:
        """The most recent indexed story whose title shares ``threshold`` of its words (Jaccard)."""
        words = frozenset(fingerprint.split())
        size = len(words)
        if size < 3:
            return None
        if (same := self._by_title.get(fingerprint)) is not None:
            return same
        smallest, largest = max(threshold * size, 3), size / threshold  # Jaccard ≤ smaller / larger size
        # The fewest words a candidate of at least ``smallest`` words shares to pass (a little below,
        # against rounding): a bucket where no title shares as many is passed over at once.
        fewest = threshold * (size + smallest) / (1 + threshold) - 1e-9
        by_pair, per_bucket = self._by_pair, self._per_bucket
        for pair in _pairs(_sample(words, 3)):  # indexed under four words, looked up by three
            bucket = by_pair.get(pair)
            if not bucket:
                continue
            entries, others = bucket
            if max(map(len, map(words.intersection, others[-per_bucket:]))) < fewest:
                continue
            for key, other, other_size in reversed(entries[-per_bucket:]):
                if not smallest <= other_size <= largest:
                    continue
                common = len(words & other)
                if common >= threshold * (size + other_size - common):
                    return key
        return None
