"""Reading a fetched feed: RSS 2.0, RSS 1.0 (RDF) or Atom, in the encoding it declares.

A well-formed feed is read with the standard library's C XML parser (thousands of entries in a
few milliseconds); a malformed one goes through ``feedparser``'s forgiving parser, which says what
is wrong. A response that is not a feed — an HTML page, JSON, an image — is a :class:`FeedError`
with a message for staff, never « 0 entries ».

Encodings: the byte-order mark, then the HTTP ``charset``, then the XML declaration decide;
Latin-1 is read as Windows-1252, as browsers do (« l’été », « œuvre » and « € » are in the
0x80–0x9F range that Latin-1 lacks and servers mislabel).
"""

from __future__ import annotations

import codecs
import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 (expat ≥ 2.4 refuses entity expansion attacks; no DTD is loaded)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
import nh3

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._\-]+)", re.IGNORECASE)
# Read as Windows-1252: its superset of Latin-1 is what servers that say « ISO-8859-1 » send.
_WINDOWS_1252 = {"latin_1", "iso8859_1", "ascii", "cp1252", "iso8859_15"}


class FeedError(Exception):
    """The response is not a readable feed; the message is shown to staff."""


@dataclass
class ParsedFeed:
    kind: str  # "rss", "atom", "rdf"
    title: str = ""
    entries: list[dict] = field(default_factory=list)


def plain(text: str | None) -> str:
    """Text without markup or entities, on one line (titles and summaries may carry HTML)."""
    if not text:
        return ""
    if "<" in text or "&" in text:  # substring scans in C: ten times faster than a regular expression
        text = html.unescape(nh3.clean(text, tags=set()))
    line = " ".join(text.split())  # cheaper than asking first whether the text is already one tidy line
    return text if line == text else line  # a tidy line is kept as it is


def _encoding(content: bytes, content_type: str) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = None
    if match := _CHARSET.search(content_type or ""):
        declared = match.group(1)
    elif match := _XML_DECLARATION.match(content[:200]):
        declared = match.group(1).decode("ascii")
    if not declared:
        return "utf-8"
    try:
        name = codecs.lookup(declared).name.replace("-", "_")
    except LookupError as exc:
        raise FeedError(f"Encodage inconnu déclaré par le flux : {declared}") from exc
    return "cp1252" if name in _WINDOWS_1252 else name


def _not_a_feed(content: bytes, content_type: str) -> str | None:
    """Why a response is obviously not a feed (HTML, JSON, an image…), or None."""
    kind = (content_type or "").split(";")[0].strip().lower()
    head = content[:512].lstrip().lower()
    if kind.startswith(("image/", "audio/", "video/")) or head.startswith((b"\x89png", b"gif8", b"\xff\xd8\xff")):
        return f"une image ou un média ({kind or 'contenu binaire'})"
    if kind == "application/pdf" or head.startswith(b"%pdf"):
        return "un document PDF"
    if kind in {"application/json", "text/json"} or head.startswith((b"{", b"[")):
        return "des données JSON"
    if kind == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        return "une page HTML"
    return None


def _text(element, *paths: str) -> str:
    for path in paths:
        found = element.find(path)
        if found is not None and (found.text or len(found)):
            return "".join(found.itertext())
    return ""


def _date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            parsed = feedparser.datetimes._parse_date(value)  # noqa: SLF001 (its many date formats, as a last resort)
            return datetime(*parsed[:6], tzinfo=UTC) if parsed else None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rss_items(items) -> list[dict]:
    entries = []
    for item in items:
        guid = item.find("guid")
        entries.append(
            {
                "title": plain(_text(item, "title")),
                "link": _text(item, "link").strip(),
                "id": (guid.text or "").strip() if guid is not None else _text(item, f"{RDF}about"),
                "summary": plain(_text(item, "description", f"{CONTENT}encoded")),
                "date": _date(_text(item, "pubDate", f"{DC}date")),
            }
        )
    return entries


def _rdf_items(items) -> list[dict]:
    return [
        {
            "title": plain(_text(item, f"{RSS1}title")),
            "link": _text(item, f"{RSS1}link").strip(),
            "id": item.get(f"{RDF}about", ""),
            "summary": plain(_text(item, f"{RSS1}description")),
            "date": _date(_text(item, f"{DC}date")),
        }
        for item in items
    ]


def _atom_entries(entries) -> list[dict]:
    result = []
    for entry in entries:
        link = ""
        for candidate in entry.findall(f"{ATOM}link"):
            if candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href", "")
                break
        result.append(
            {
                "title": plain(_text(entry, f"{ATOM}title")),
                "link": link.strip(),
                "id": _text(entry, f"{ATOM}id").strip(),
                "summary": plain(_text(entry, f"{ATOM}summary", f"{ATOM}content")),
                "date": _date(_text(entry, f"{ATOM}published", f"{ATOM}updated")),
            }
        )
    return result


def parse_feed(content: bytes, *, content_type: str = "") -> ParsedFeed:
    """The feed's entries as dicts: ``title``, ``link``, ``id``, ``summary`` (plain text), ``date`` (aware datetime or None)."""
    if not content.strip():
        raise FeedError("Réponse vide : ce n'est pas un flux RSS ou Atom.")
    if reason := _not_a_feed(content, content_type):
        raise FeedError(f"Ce n'est pas un flux RSS ou Atom : le serveur a envoyé {reason}.")
    if b"<!ENTITY" in content[:4096]:
        raise FeedError("Flux refusé : il déclare des entités XML.")
    encoding = _encoding(content, content_type)
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "cp1252":
            raise FeedError(f"Flux illisible : octets invalides en {encoding} (position {exc.start}).") from exc
        text = content.decode("latin-1")  # the five bytes Windows-1252 leaves undefined
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)  # the declaration named the bytes' encoding
    try:
        root = ET.fromstring(text)  # noqa: S314 (see the import)
    except ET.ParseError:
        return _forgiving(text)
    tag = root.tag
    if tag == "rss" or tag.endswith("}rss"):
        channel = root.find("channel")
        if channel is None:
            raise FeedError("Flux RSS sans canal (<channel>).")
        return ParsedFeed("rss", plain(_text(channel, "title")), _rss_items(channel.iter("item")))
    if tag == f"{ATOM}feed":
        return ParsedFeed("atom", plain(_text(root, f"{ATOM}title")), _atom_entries(root.iter(f"{ATOM}entry")))
    if tag == f"{RDF}RDF":
        return ParsedFeed("rdf", plain(_text(root, f"{RSS1}channel/{RSS1}title")), _rdf_items(root.iter(f"{RSS1}item")))
    raise FeedError(f"Ce n'est pas un flux RSS ou Atom : le document commence par <{tag.split('}')[-1]}>.")


def _forgiving(text: str) -> ParsedFeed:
    """A malformed document: feedparser reads what it can, or says why it cannot."""
    parsed = feedparser.parse(text)
    problem = parsed.get("bozo_exception")
    if parsed.bozo and not isinstance(problem, feedparser.CharacterEncodingOverride):
        raise FeedError(f"Flux mal formé : {problem}"[:500])
    if not parsed.version:
        raise FeedError("Ce n'est pas un flux RSS ou Atom.")
    entries = []
    for entry in parsed.entries:
        moment = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            {
                "title": plain(entry.get("title", "")),
                "link": (entry.get("link") or "").strip(),
                "id": str(entry.get("id") or ""),
                "summary": plain(entry.get("summary", "")),
                "date": datetime(*moment[:6], tzinfo=UTC) if moment else None,
            }
        )
    return ParsedFeed(parsed.version, plain(parsed.feed.get("title", "")), entries)
