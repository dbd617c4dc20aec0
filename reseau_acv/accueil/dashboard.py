"""The member's dashboard: a list of panels, each built by a function for a user.

Each app's panel reads through its own selectors (already scoped with ``visible_to``) and runs
a fixed number of queries. A panel function returns ``None`` when it has nothing for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from panorama.selectors import dashboard_panel as panorama_dashboard_panel
from rencontres.selectors import rencontres_upcoming
from reseau_acv.core.permissions import is_equipe
from villes.selectors import user_villes

from .contributions import waiting
from .models import Preferences
from .premiers_pas import demarrage, demarrage_due
from .queues import staff_queues


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: dict


def villes_panel(user) -> Panel | None:
    villes = list(user_villes(user=user))
    return Panel("villes", "Mes villes", "accueil/includes/_panel_villes.html", {"villes": villes})


def preferences_panel(user) -> Panel | None:
    """What the member receives by e-mail, and where to change it."""
    preferences = Preferences.objects.filter(user=user).first() or Preferences(user=user)
    return Panel("courriels", "Mes courriels", "accueil/includes/_panel_courriels.html", {"preferences": preferences})


def equipe_panel(user) -> Panel | None:
    """Staff only: what waits in the queues, and the animation dashboard."""
    if not is_equipe(user):
        return None
    return Panel("a-traiter", "À traiter", "accueil/includes/_panel_equipe.html", {"queues": staff_queues(user=user)})


def demarrer_panel(user) -> Panel | None:
    """A new member: the two questions still to answer, then « Pour bien démarrer » for a while."""
    if user.premiers_pas_le is None:
        return Panel(
            "premiers-pas", "Deux questions pour bien démarrer", "accueil/includes/_panel_premiers_pas.html", {}
        )
    if not demarrage_due(user):
        return None
    return Panel("demarrer", "Pour bien démarrer", "accueil/includes/_panel_demarrer.html", {"d": demarrage(user=user)})


def attente_panel(user) -> Panel | None:
    """What waits on the member: their drafts and what the team sent back, with its reason."""
    items, total = waiting(user=user)
    if not total:
        return None
    return Panel(
        "attente",
        "Ce qui vous attend",
        "accueil/includes/_panel_attente.html",
        {"contributions": items, "total": total, "more": total > len(items)},
    )


def rencontres_panel(user) -> Panel | None:
    """The next meetings the member may see, with their own registration status."""
    rencontres = rencontres_upcoming(user=user, limit=5)
    return Panel(
        "rencontres", "Prochaines rencontres", "rencontres/includes/_panel_rencontres.html", {"rencontres": rencontres}
    )


PANELS: list[Callable[..., Panel | None]] = [
    equipe_panel,
    demarrer_panel,
    attente_panel,
    villes_panel,
    preferences_panel,
]
PANELS.append(rencontres_panel)


def panorama_panel(user) -> Panel | None:
    """The latest press references the member may see; for staff, the curation queue and failing feeds."""
    data = panorama_dashboard_panel(user=user)
    return Panel("presse", "Panorama de presse", "panorama/includes/_panel_presse.html", data)


PANELS.append(panorama_panel)


def dashboard_panels(user) -> list[Panel]:
    return [panel for build in PANELS if (panel := build(user)) is not None]
