"""The animation dashboard's figures, each a :class:`~.charts.Chart` built in one or two queries.

Charts about the domain apps are registered in ``accueil.integrations``; the ones here read
the members and the digest. No tracking: only what the platform already records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Count, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import Role, User

from .charts import Chart
from .models import EnvoiDigest, Frequence

ACTIVE_DAYS = 90

_CHARTS: dict[str, tuple[int, Callable[[], Chart]]] = {}


def register_chart(key: str, build: Callable[[], Chart], order: int = 100) -> None:
    _CHARTS[key] = (order, build)


def chart_keys() -> list[str]:
    return [key for key, _value in sorted(_CHARTS.items(), key=lambda item: (item[1][0], item[0]))]


def build_chart(key: str) -> Chart | None:
    entry = _CHARTS.get(key)
    return entry[1]() if entry else None


def all_charts() -> list[Chart]:
    return [_CHARTS[key][1]() for key in chart_keys()]


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
