"""The member's dashboard: a list of panels, each built by a function for a user.

Each app's panel reads through its own selectors (already scoped with ``visible_to``) and runs
a fixed number of queries. A panel function returns ``None`` when it has nothing for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from villes.selectors import user_villes


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: dict


def villes_panel(user) -> Panel | None:
    villes = list(user_villes(user=user))
    return Panel("villes", "Mes villes", "accueil/includes/_panel_villes.html", {"villes": villes})


PANELS: list[Callable[..., Panel | None]] = [villes_panel]


def dashboard_panels(user) -> list[Panel]:
    return [panel for build in PANELS if (panel := build(user)) is not None]
