"""The animation dashboard's figures, each a :class:`~.charts.Chart` built in one or two queries.

Charts about the domain apps are registered in ``accueil.integrations``; the ones here read
the members and the digest. No tracking: only what the platform already records.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import Role, User

from .charts import Chart
from .models import EnvoiDigest, Frequence

ACTIVE_DAYS = 90

_CHARTS: dict[str, tuple[int, Callable[[], Chart]]] = {}


# A chart shows at most this many rows: figures by town are gathered by département, then by
# région, when there are more (the national programme: 1,850 towns, 101 départements).
MAX_ROWS = 30


@dataclass(frozen=True)
class ParTerritoire:
    label_header: str
    rows: list[tuple[str, list[int]]]
    detail_header: str = ""
    detail_rows: list[tuple[str, list[int]]] = field(default_factory=list)


def par_territoire(counts: dict[int, list[int]], *, width: int) -> ParTerritoire:
    """Figures by town (``{ville_id: [values]}``) at the finest level with at most ``MAX_ROWS`` rows:
    by town, by département, or by région with the départements as detail. One query."""
    from villes.models import Ville

    towns = {
        pk: (nom, f"{dep_nom} ({dep})", region)
        for pk, nom, dep, dep_nom, region in Ville.objects.filter(pk__in=counts).values_list(
            "pk", "nom", "departement_code", "departement_nom", "region"
        )
    }

    def gathered(level: int) -> list[tuple[str, list[int]]]:
        sums: dict[str, list[int]] = {}
        for pk, values in counts.items():
            if pk not in towns:
                continue
            row = sums.setdefault(towns[pk][level], [0] * width)
            for i, value in enumerate(values):
                row[i] += value
        return sorted(sums.items(), key=lambda item: (-sum(item[1]), item[0]))

    by_town = gathered(0)
    if len(by_town) <= MAX_ROWS:
        return ParTerritoire(str(_("Ville")), by_town)
    by_dep = gathered(1)
    if len(by_dep) <= MAX_ROWS:
        return ParTerritoire(str(_("Département")), by_dep)
    return ParTerritoire(str(_("Région")), gathered(2), str(_("Département")), by_dep)


def register_chart(key: str, build: Callable[[], Chart], order: int = 100) -> None:
    _CHARTS[key] = (order, build)


def chart_keys() -> list[str]:
    return [key for key, _value in sorted(_CHARTS.items(), key=lambda item: (item[1][0], item[0]))]


def build_chart(key: str) -> Chart | None:
    entry = _CHARTS.get(key)
    return entry[1]() if entry else None


def all_charts() -> list[Chart]:
    return [_CHARTS[key][1]() for key in chart_keys()]


# --- The dashboard's snapshot -------------------------------------------------------------------
# The figures walk whole tables (every registration, contribution, kept article): a periodic task
# computes them (``accueil.animation_refresh``) and the page reads the result from the cache.

SNAPSHOT_KEY = "accueil:animation:v2"
SNAPSHOT_TIMEOUT = 6 * 3600  # beat refreshes every 15 minutes; a stopped beat shows its age


@dataclass(frozen=True)
class Snapshot:
    charts: list[Chart]
    calcule_le: datetime
    duree: float  # seconds the computation took
    # The charts as the page shows them (drawings, tables, details by département: ~90 KB at
    # national scale), rendered with the figures rather than at every visit.
    html: str = ""

    @property
    def charts_html(self) -> SafeString:
        return mark_safe(self.html)  # noqa: S308 (rendered by our own template, which escapes the figures' labels)


def snapshot_refresh() -> Snapshot:
    """Compute every chart and keep them for the page and its exports. Safe to run any time."""
    started = time.monotonic()
    charts = all_charts()
    html = render_to_string("accueil/includes/_animation_charts.html", {"charts": charts})
    snapshot = Snapshot(
        charts=charts, calcule_le=timezone.now(), duree=round(time.monotonic() - started, 2), html=str(html)
    )
    cache.set(SNAPSHOT_KEY, snapshot, timeout=SNAPSHOT_TIMEOUT)
    return snapshot


def snapshot_get() -> Snapshot | None:
    """The last snapshot computed, or None (never computed, or expired: a refresh is then queued)."""
    return cache.get(SNAPSHOT_KEY)


def chart_active_members() -> Chart:
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk", distinct=True))
        .values_list("role", "n")
    )
    active = dict(
        User.objects.filter(is_active=True, last_login__gte=since)
        .values_list("role")
        .annotate(n=Count("pk", distinct=True))
        .values_list("role", "n")
    )
    return Chart(
        key="membres-actifs",
        title=_("Membres actifs ces %(n)s derniers jours") % {"n": ACTIVE_DAYS},
        description=_("Membres qui se sont connectés au moins une fois, par rôle, sur l'ensemble des comptes actifs."),
        label_header=_("Rôle"),
        series=[_("Actifs (90 jours)"), _("Comptes")],
        rows=[(str(role.label), [active.get(role.value, 0), counts.get(role.value, 0)]) for role in Role],
    )


def chart_digest_reach() -> Chart:
    since = timezone.now() - timedelta(days=30)
    frequencies = dict(
        User.objects.filter(is_active=True)
        .annotate(freq=Coalesce("preferences__frequence", Value(Frequence.HEBDOMADAIRE.value)))
        .values_list("freq")
        .annotate(n=Count("pk"))
        .values_list("freq", "n")
    )
    received = dict(
        EnvoiDigest.objects.filter(cree_le__gte=since, courriel__isnull=False)
        .values_list("frequence")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("frequence", "n")
    )
    return Chart(
        key="portee-resume",
        title=_("Portée du résumé par courriel"),
        description=_("Membres actifs par fréquence choisie, et membres qui ont reçu au moins un résumé ces 30 jours."),
        label_header=_("Fréquence"),
        series=[_("Abonnés"), _("Ont reçu un résumé (30 jours)")],
        rows=[(str(freq.label), [frequencies.get(freq.value, 0), received.get(freq.value, 0)]) for freq in Frequence],
    )


register_chart("membres-actifs", chart_active_members, order=10)
register_chart("portee-resume", chart_digest_reach, order=90)
