"""De-duplication: one appearance per canonical link, one story per set of near-identical titles."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .matching import same_story

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


class StoryIndex:
    """Recent stories by the words of their titles, to find the one a new title repeats."""

    def __init__(self, stories: list[tuple[int, str]]):
        self._by_word: dict[str, set[int]] = {}
        self._fingerprints: dict[int, str] = {}
        for pk, fingerprint in stories:
            self.add(pk, fingerprint)

    def add(self, pk: int, fingerprint: str) -> None:
        self._fingerprints[pk] = fingerprint
        for word in set(fingerprint.split()):
            if len(word) >= 4:
                self._by_word.setdefault(word, set()).add(pk)

    def find(self, fingerprint: str) -> int | None:
        counts: dict[int, int] = {}
        for word in set(fingerprint.split()):
            for pk in self._by_word.get(word, ()):
                counts[pk] = counts.get(pk, 0) + 1
        for pk, _shared in sorted(counts.items(), key=lambda item: -item[1])[:20]:
            if same_story(fingerprint, self._fingerprints[pk]):
                return pk
        return None
