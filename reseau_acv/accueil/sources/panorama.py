"""The press panorama (app ``panorama``) in ``accueil``: digest, search, queues, charts."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from panorama.models import ArticlePresse, Edition, Source
from reseau_acv.core.selectors import followed_ids
from villes.models import Mission, Ville

from ..charts import Chart
from ..dashboard import PANELS, Panel
from ..digest import DigestItem, DigestSection, register_digest_section
from ..queues import StaffQueue, register_staff_queue
from ..stats import register_chart
from . import absolute, reverse_or, url_of

DIGEST_LIMIT = 50
CHART_MONTHS = 6
CHART_TOWNS = 15


def digest_presse(*, user, since, until) -> list[DigestItem]:
    """Press articles kept in the period (by the team's sorting) that ``user`` may see; the
    engine keeps for each member those that cite their towns."""
    articles = (
        ArticlePresse.objects.visible_to(user)
        .kept()
        .annotate(retenu_le=Coalesce("trie_le", "cree_le"))
        .filter(retenu_le__gte=since, retenu_le__lt=until)
        .prefetch_related(Prefetch("villes", queryset=Ville.objects.only("pk", "nom")))
        .order_by("-publie_le")[:DIGEST_LIMIT]
    )
    return [
        DigestItem(
            section="presse",
            titre=article.titre,
            url=absolute(url_of(article)),
            date=article.retenu_le,
            visibilite=article.visibilite,
            detail=", ".join(v.nom for v in article.villes.all()),
            villes=frozenset(v.pk for v in article.villes.all()),
        )
        for article in articles
    ]


def digest_editions(*, user, since, until) -> list[DigestItem]:
    """Panorama editions published in the period that ``user`` may see."""
    editions = (
        Edition.objects.visible_to(user)
        .published()
        .filter(publiee_le__gte=since, publiee_le__lt=until)
        .order_by("-publiee_le")[:DIGEST_LIMIT]
    )
    return [
        DigestItem(
            section="editions",
            titre=edition.titre,
            url=absolute(url_of(edition)),
            date=edition.publiee_le,
            visibilite=edition.visibilite,
            detail=f"{date_format(edition.debut, 'j F')} – {date_format(edition.fin, 'j F Y')}",
        )
        for edition in editions
    ]


register_digest_section(
    DigestSection("presse", _("Vos villes dans la presse"), digest_presse, match="villes", order=40)
)
register_digest_section(
    DigestSection(
        "editions", _("Nouvelles éditions du panorama de presse"), digest_editions, order=50, preference="presse"
    )
)


register_staff_queue(
    StaffQueue(
        "curation",
        _("Articles de presse à trier"),
        lambda *, user: ArticlePresse.objects.queue().count(),
        lambda: reverse_or("panorama:article-queue", "/admin/panorama/articlepresse/"),
        order=30,
    )
)
register_staff_queue(
    StaffQueue(
        "sources-en-echec",
        _("Sources de presse en échec"),
        lambda *, user: Source.objects.filter(actif=True, echecs_consecutifs__gt=0).count(),
        lambda: reverse_or("panorama:source-list", "/admin/panorama/source/"),
        order=40,
    )
)


def chart_presse_villes() -> Chart:
    """Kept articles citing each town, month by month, over the last months."""
    now = timezone.localtime()
    first = (now.replace(day=1) - timedelta(days=31 * (CHART_MONTHS - 1))).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    months = []
    cursor = first
    while cursor <= now:
        months.append((cursor.year, cursor.month))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    counts: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
    rows = (
        ArticlePresse.objects.kept()
        .filter(publie_le__gte=first, villes__isnull=False)
        .annotate(mois=TruncMonth("publie_le", tzinfo=timezone.get_current_timezone()))
        .values("villes__nom", "mois")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in rows:
        month = timezone.localtime(row["mois"]) if timezone.is_aware(row["mois"]) else row["mois"]
        counts[row["villes__nom"]][(month.year, month.month)] = row["n"]
    towns = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))[:CHART_TOWNS]
    labels = [date_format(first.replace(year=y, month=m), "F Y") for y, m in months]
    return Chart(
        key="presse-villes-mois",
        title=str(_("Mentions dans la presse par ville et par mois")),
        description=str(
            _(
                "Articles retenus au panorama qui citent la ville, sur les %(n)s derniers mois (les %(t)s villes les plus citées)."
            )
            % {"n": CHART_MONTHS, "t": CHART_TOWNS}
        ),
        label_header=str(_("Ville")),
        series=labels,
        rows=[(name, [counts[name].get(month, 0) for month in months]) for name in towns],
    )


register_chart("presse-villes-mois", chart_presse_villes, order=50)


def presse_villes_panel(user) -> Panel | None:
    """Leads: the latest press about their mission towns and the towns they follow."""
    if not user.is_chef_de_projet:
        return None
    missions = Mission.objects.current().filter(personne=user).values("ville_id")
    followed = followed_ids(user=user, model=Ville)
    # A semi-join from the towns' links (indexed by town) rather than a DISTINCT over the joins:
    # PostgreSQL reads the articles of these towns only, not every kept article.
    links = ArticlePresse.villes.through.objects.filter(Q(ville_id__in=missions) | Q(ville_id__in=followed))
    articles = (
        ArticlePresse.objects.visible_to(user)
        .kept()
        .filter(pk__in=links.values("articlepresse_id"))
        .prefetch_related(Prefetch("villes", queryset=Ville.objects.only("pk", "nom").order_by("nom")))
        .order_by("-publie_le", "-pk")[:5]
    )
    return Panel(
        "presse-villes",
        str(_("Mes villes dans la presse")),
        "accueil/includes/_panel_presse_villes.html",
        {"articles": [(article, url_of(article)) for article in articles]},
    )


PANELS.append(presse_villes_panel)
