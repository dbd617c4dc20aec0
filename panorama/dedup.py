"""De-duplication: one appearance per canonical link, one story per set of near-identical titles."""

from __future__ import annotations

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


def _keys(fingerprint: str) -> list[str]:
    """The two longest words of a title: a story repeated by another title keeps them."""
    words = sorted(set(fingerprint.split()), key=lambda w: (-len(w), w))
    return words[:2]


class StoryIndex:
    """Recent stories indexed by the two longest words of their titles.

    Two titles of one story share most of their words (Jaccard ≥ 0.7), so they share at least one
    of their two longest words; comparing only the stories in those two buckets keeps de-duplication
    linear in the number of entries instead of quadratic.
    """

    def __init__(self, stories: list[tuple[object, str]], *, per_bucket: int = 100):
        self._by_word: dict[str, list[object]] = {}
        self._words: dict[object, frozenset[str]] = {}
        self._per_bucket = per_bucket
        for key, fingerprint in stories:
            self.add(key, fingerprint)

    def add(self, key: object, fingerprint: str) -> None:
        self._words[key] = frozenset(fingerprint.split())
        for word in _keys(fingerprint):
            self._by_word.setdefault(word, []).append(key)

    def find(self, fingerprint: str, *, threshold: float = SAME_STORY) -> object | None:
        """The most recent indexed story whose title shares ``threshold`` of its words (Jaccard)."""
        words = frozenset(fingerprint.split())
        if len(words) < 3:
            return None
        size = len(words)
        seen = set()
        for word in _keys(fingerprint):
            for key in reversed(self._by_word.get(word, ())[-self._per_bucket :]):
                if key in seen:
                    continue
                seen.add(key)
                other = self._words[key]
                if min(size, len(other)) < threshold * max(size, len(other)) or len(other) < 3:
                    continue
                if len(words & other) >= threshold * len(words | other):
                    return key
        return None
