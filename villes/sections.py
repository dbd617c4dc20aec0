"""Sections of the town page that other apps contribute.

``villes`` cannot import the apps built on it (resources, meetings, press); each of them
registers, in its ``AppConfig.ready``, a function that returns the context of its section for
a town and a user. That function must scope its queries with ``visible_to(user)`` and run a
fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TownSection:
    key: str
    template: str
    context: Callable[..., dict]  # context(ville=…, user=…) -> dict
    order: int = 100


_SECTIONS: dict[str, TownSection] = {}


def register_town_section(section: TownSection) -> None:
    _SECTIONS[section.key] = section


def town_sections(*, ville, user) -> list[tuple[TownSection, dict]]:
    return [
        (section, section.context(ville=ville, user=user))
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]
