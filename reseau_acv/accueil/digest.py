"""The digest's framework: periods, sections and the per-member selection of items.

A *section* is registered by ``accueil`` for each domain app it reads. Its ``fetch(user=,
since=, until=)`` returns the *published* items new in ``[since, until)`` that ``user`` may see
(through the model's ``visible_to``), as plain :class:`DigestItem` values that templates can
render without a query. ``fetch`` must not depend on who the user is beyond their visibility
level: the batch engine calls it once per level present in a batch, with a member of that level,
then keeps for each member only the items of their levels, sections, towns and themes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from reseau_acv.core.visibility import levels_for, max_level_for

from .models import Frequence, Preferences


@dataclass(frozen=True)
class DigestItem:
    section: str
    titre: str
    url: str
    date: datetime
    visibilite: str
    detail: str = ""
    villes: frozenset[int] = field(default_factory=frozenset)
    themes: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DigestSection:
    key: str  # one of models.SECTION_FIELDS, or a new key that is always on
    title: str
    fetch: Callable[..., list[DigestItem]]  # fetch(*, user, since, until) -> items
    match: str = ""  # "themes", "villes", or "" (every item)
    order: int = 100
    preference: str = ""  # the preference that turns it on (models.SECTION_FIELDS); default: key

    @property
    def preference_key(self) -> str:
        return self.preference or self.key


_SECTIONS: dict[str, DigestSection] = {}


def register_digest_section(section: DigestSection) -> None:
    _SECTIONS[section.key] = section


def unregister_digest_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def digest_sections() -> list[DigestSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    frequence: str
    key: str
    start: datetime
    end: datetime


def period_for(frequence: str, now: datetime | None = None) -> Period:
    """The period whose digest is due at ``now``: yesterday (daily) or last week (weekly), in
    Paris time. Every run on the same day (or week) computes the same key."""
    now = timezone.localtime(now or timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequence == Frequence.QUOTIDIENNE:
        end = midnight
        start = timezone.localtime(end - timedelta(days=1)).replace(hour=0)
        return Period(frequence, f"J{start:%Y-%m-%d}", start, end)
    if frequence == Frequence.HEBDOMADAIRE:
        end = timezone.localtime(midnight - timedelta(days=midnight.weekday())).replace(hour=0)
        start = timezone.localtime(end - timedelta(days=7)).replace(hour=0)
        year, week, _day = start.isocalendar()
        return Period(frequence, f"S{year}-W{week:02d}", start, end)
    raise ValueError(f"pas de résumé pour la fréquence {frequence!r}")


# --- Selection for one member -------------------------------------------------------------------


@dataclass
class MemberChoice:
    """What the engine needs of a member's preferences, read once per batch."""

    sections: dict[str, bool]
    villes: set[int]
    themes: set[int]

    @classmethod
    def of(
        cls,
        preferences: Preferences | None,
        mission_villes: set[int],
        villes: set[int] | None = None,
        themes: set[int] | None = None,
    ) -> MemberChoice:
        """``villes`` and ``themes``: what the member follows (core's follows)."""
        villes, themes = set(villes or ()), set(themes or ())
        if preferences is None:
            return cls(sections={}, villes=villes | mission_villes, themes=themes)
        from .models import SECTION_FIELDS

        return cls(
            sections={key: preferences.wants(key) for key in SECTION_FIELDS},
            villes=villes | mission_villes,
            themes=themes,
        )

    def wants(self, key: str) -> bool:
        return self.sections.get(key, True)


def select_items(
    *, section: DigestSection, items: list[DigestItem], user, choice: MemberChoice, since: datetime
) -> list[DigestItem]:
    """The items of ``section`` that go into this member's digest."""
    if not choice.wants(section.preference_key):
        return []
    levels = set(levels_for(user))
    kept = [item for item in items if item.visibilite in levels and item.date >= since]
    if section.match == "themes" and choice.themes:
        kept = [item for item in kept if not item.themes or item.themes & choice.themes]
    elif section.match == "villes":
        kept = [item for item in kept if item.villes & choice.villes]
    return kept


def digest_for(*, user, since: datetime, until: datetime, choice: MemberChoice | None = None) -> list[tuple]:
    """One member's digest, section by section: ``[(section, items), …]`` (non-empty only)."""
    choice = choice or MemberChoice(sections={}, villes=set(), themes=set())
    result = []
    for section in digest_sections():
        if not choice.wants(section.preference_key):
            continue
        items = section.fetch(user=user, since=since, until=until)
        kept = select_items(section=section, items=items, user=user, choice=choice, since=since)
        if kept:
            result.append((section, kept))
    return result


def level_key(user) -> str:
    return str(max_level_for(user))
