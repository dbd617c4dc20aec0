"""Mentions: « @Prénom Nom » in what a member writes names another member.

Core imports no app: members are ``settings.AUTH_USER_MODEL`` with Django's ``first_name`` and
``last_name``. :func:`find_mentions` resolves the names in one query; a name that matches no
member, or several, stays plain text. :func:`link_mentions` turns the resolved ones into
Markdown links before the text is rendered (and sanitised) as usual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Func, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower

# « @ » then one to four words that start with a letter (« @Marie Dupont », « @Jean-Paul Le Goff »);
# not inside a word or an address (« a@b.fr »).
MENTION_RE = re.compile(r"(?<![\w@])@([^\W\d_][\w'’-]*(?:[ \u00a0][^\W\d_][\w'’-]*){0,3})")
MAX_MENTIONS = 20


def _key(name: str) -> str:
    """A name as mentions compare it: lower case, without accents (« @Helene » names Hélène)."""
    name = name.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _folded_full_name():
    full = Concat("first_name", Value(" "), "last_name")
    if connection.vendor == "postgresql":
        return Lower(Func(full, function="unaccent"))
    return Lower(full)  # SQLite (local first run): the accents of the name must be typed


def _candidates(text: str) -> list[list[str]]:
    return [match.group(1).replace("\u00a0", " ").split(" ") for match in MENTION_RE.finditer(text or "")]


def find_mentions(text: str, users: QuerySet | None = None) -> list:
    """The members named « @Prénom Nom » in ``text`` (longest name first), each once, in one query.

    ``users`` narrows who may be named (default: active members). A name shared by two members
    names nobody.
    """
    sequences = _candidates(text)[:MAX_MENTIONS]
    if not sequences:
        return []
    typed = {" ".join(words[:k]) for words in sequences for k in range(2, len(words) + 1)}
    names = {_key(name) for name in typed} | {name.lower() for name in typed}
    if not names:
        return []
    users = users if users is not None else get_user_model().objects.filter(is_active=True)
    found = users.annotate(nom_mention=_folded_full_name()).filter(Q(nom_mention__in=names))
    by_name: dict[str, list] = {}
    for user in found:
        by_name.setdefault(_key(f"{user.first_name} {user.last_name}"), []).append(user)
    named, seen = [], set()
    for words in sequences:
        for k in range(len(words), 1, -1):
            matches = by_name.get(_key(" ".join(words[:k])))
            if matches:
                if len(matches) == 1 and matches[0].pk not in seen:
                    seen.add(matches[0].pk)
                    named.append(matches[0])
                break
    return named


def link_mentions(text: str, users: Iterable, url_for: Callable) -> str:
    """``text`` with « @Prénom Nom » of each of ``users`` as a Markdown link to ``url_for(user)``
    (bold text when ``url_for`` gives nothing); other « @… » stay as written."""
    users = list(users)
    if not users or "@" not in (text or ""):
        return text
    by_name = {_key(f"{u.first_name} {u.last_name}"): u for u in users}

    def replace(match: re.Match) -> str:
        words = match.group(1).replace("\u00a0", " ").split(" ")
        for k in range(len(words), 1, -1):
            user = by_name.get(_key(" ".join(words[:k])))
            if user is not None:
                shown = " ".join(words[:k]).replace("[", "").replace("]", "")
                rest = match.group(1)[len(" ".join(words[:k])) :]
                url = url_for(user)
                return (f"[@{shown}]({url})" if url else f"**@{shown}**") + rest
        return match.group(0)

    return MENTION_RE.sub(replace, text)
