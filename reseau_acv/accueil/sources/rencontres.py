"""Meetings (app ``rencontres``) in ``accueil``: digest, search, partner panel, charts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rencontres.models import Inscription, Rencontre
from rencontres.selectors import plenieres_years

from ..charts import Chart
from ..dashboard import PANELS, Panel
from ..digest import DigestItem, DigestSection, register_digest_section
from ..stats import par_territoire, register_chart
from . import absolute, url_of

DIGEST_LIMIT = 30
CHART_MEETINGS = 12


def _when(rencontre: Rencontre) -> str:
    return date_format(timezone.localtime(rencontre.debut), "l j F Y à H\\hi")


def digest_rencontres(*, user, since, until) -> list[DigestItem]:
    """Meetings published in the period, still ahead and open for registration, that ``user``
    may see."""
    now = timezone.now()
    rencontres = (
        Rencontre.objects.visible_to(user)
        .filter(statut=Rencontre.Statut.PUBLIEE, publiee_le__gte=since, publiee_le__lt=until, debut__gt=now)
        .filter(Q(date_limite_inscription__isnull=True) | Q(date_limite_inscription__gt=now))
        .select_related("ville")
        .order_by("debut")[:DIGEST_LIMIT]
    )
    return [
        DigestItem(
            section="rencontres",
            titre=rencontre.titre,
            url=absolute(url_of(rencontre)),
            date=rencontre.publiee_le,
            visibilite=rencontre.visibilite,
            detail=" — ".join(
                part for part in (_when(rencontre), rencontre.lieu or str(rencontre.get_format_display())) if part
            ),
            villes=frozenset([rencontre.ville_id]) if rencontre.ville_id else frozenset(),
        )
        for rencontre in rencontres
    ]


register_digest_section(
    DigestSection("rencontres", _("Rencontres à venir, inscriptions ouvertes"), digest_rencontres, order=10)
)


def plenieres_panel(user) -> Panel | None:
    """Partners: the archive of the annual plenaries, year by year."""
    if not user.is_partenaire:
        return None
    return Panel(
        "plenieres",
        str(_("Archive des plénières")),
        "accueil/includes/_panel_plenieres.html",
        {"years": plenieres_years(user=user)},
    )


PANELS.append(plenieres_panel)


def chart_participation_rencontres() -> Chart:
    """The last meetings held: registered and present."""
    rencontres = (
        Rencontre.objects.filter(
            debut__lt=timezone.now(), statut__in=[Rencontre.Statut.PUBLIEE, Rencontre.Statut.TENUE]
        )
        .annotate(
            inscrits=Count("inscriptions", filter=Q(inscriptions__statut=Inscription.Statut.INSCRIT)),
            presents=Count("inscriptions", filter=Q(inscriptions__present=True)),
        )
        .order_by("-debut")[:CHART_MEETINGS]
    )
    rows = [
        (f"{date_format(timezone.localtime(r.debut), 'd/m/Y')} {r.titre}", [r.inscrits, r.presents]) for r in rencontres
    ]
    return Chart(
        key="participation-rencontres",
        title=str(_("Participation aux dernières rencontres")),
        description=str(_("Inscrit·es et présent·es aux %(n)s dernières rencontres tenues.") % {"n": CHART_MEETINGS}),
        label_header=str(_("Rencontre")),
        series=[str(_("Inscrit·es")), str(_("Présent·es"))],
        rows=rows,
    )


def chart_participation_villes() -> Chart:
    """Registrations and attendance by the town of the member's mission (by département or
    région when there are too many towns to read)."""
    rows = (
        Inscription.objects.filter(statut=Inscription.Statut.INSCRIT)
        .values("membre__missions__ville")
        .annotate(n=Count("pk", distinct=True), presents=Count("pk", filter=Q(present=True), distinct=True))
    )
    counts, without = {}, [0, 0]
    for row in rows:
        if row["membre__missions__ville"] is None:
            without = [row["n"], row["presents"]]
        else:
            counts[row["membre__missions__ville"]] = [row["n"], row["presents"]]
    territoires = par_territoire(counts, width=2)
    extra = [(str(_("Sans ville (partenaires, équipe)")), without)] if any(without) else []
    return Chart(
        key="participation-villes",
        title=str(_("Participation aux rencontres par territoire")),
        description=str(_("Inscriptions et présences des membres, selon la ville de leur mission.")),
        label_header=territoires.label_header,
        series=[str(_("Inscriptions")), str(_("Présences"))],
        rows=territoires.rows + extra,
        detail_header=territoires.detail_header,
        detail_rows=territoires.detail_rows + extra if territoires.detail_rows else [],
    )


register_chart("participation-rencontres", chart_participation_rencontres, order=20)
register_chart("participation-villes", chart_participation_villes, order=30)
