"""Resources, experience sheets and questions (app ``ressources``) in ``accueil``."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_equipe
from ressources.models import Question, Ressource, RetourExperience, Signalement
from ressources.selectors import DATED

from ..charts import Chart
from ..dashboard import PANELS, Panel
from ..digest import DigestItem, DigestSection, register_digest_section
from ..queues import StaffQueue, register_staff_queue
from ..stats import par_territoire, register_chart
from . import absolute, reverse_or, url_of

DIGEST_LIMIT = 50
_THEME_IDS = Prefetch("themes", queryset=Theme.objects.only("pk"))


def _new(model, *, user, since, until):
    return (
        model.objects.visible_to(user)
        .published()
        .filter(publie_le__gte=since, publie_le__lt=until)
        .order_by("-publie_le")
    )


def digest_ressources(*, user, since, until) -> list[DigestItem]:
    """New resources and experience sheets published in the period that ``user`` may see."""
    items = []
    ressources = _new(Ressource, user=user, since=since, until=until).prefetch_related(_THEME_IDS)[:DIGEST_LIMIT]
    for ressource in ressources:
        items.append(
            DigestItem(
                section="ressources",
                titre=ressource.titre,
                url=absolute(url_of(ressource)),
                date=ressource.publie_le,
                visibilite=ressource.visibilite,
                detail=str(ressource.get_type_display()),
                themes=frozenset(t.pk for t in ressource.themes.all()),
            )
        )
    retours = (
        _new(RetourExperience, user=user, since=since, until=until)
        .select_related("ville")
        .prefetch_related(_THEME_IDS)[:DIGEST_LIMIT]
    )
    for retour in retours:
        items.append(
            DigestItem(
                section="ressources",
                titre=retour.titre,
                url=absolute(url_of(retour)),
                date=retour.publie_le,
                visibilite=retour.visibilite,
                detail=str(_("Retour d'expérience — %(ville)s") % {"ville": retour.ville.nom}),
                villes=frozenset([retour.ville_id]),
                themes=frozenset(t.pk for t in retour.themes.all()),
            )
        )
    return items


def digest_questions(*, user, since, until) -> list[DigestItem]:
    """Open questions asked in the period that ``user`` may see."""
    questions = (
        _new(Question, user=user, since=since, until=until)
        .filter(fermee=False)
        .prefetch_related(_THEME_IDS)[:DIGEST_LIMIT]
    )
    return [
        DigestItem(
            section="questions",
            titre=question.titre,
            url=absolute(url_of(question)),
            date=question.publie_le,
            visibilite=question.visibilite,
            themes=frozenset(t.pk for t in question.themes.all()),
        )
        for question in questions
    ]


register_digest_section(
    DigestSection(
        "ressources", _("Nouvelles ressources et fiches d'expérience"), digest_ressources, match="themes", order=20
    )
)
register_digest_section(
    DigestSection("questions", _("Questions ouvertes du réseau"), digest_questions, match="themes", order=30)
)


# --- Staff queues ---------------------------------------------------------------------------------


def _awaiting(*, user) -> int:
    return sum(model.objects.awaiting_moderation().count() for model in (Ressource, RetourExperience, Question))


def _reports(*, user) -> int:
    return Signalement.objects.filter(traite=False).count()


register_staff_queue(
    StaffQueue(
        "moderation",
        _("Contributions en attente de modération"),
        _awaiting,
        lambda: reverse_or("ressources:moderation-list", "/admin/ressources/"),
        order=10,
    )
)
register_staff_queue(
    StaffQueue(
        "signalements",
        _("Messages signalés à examiner"),
        _reports,
        lambda: reverse_or("ressources:moderation-list", "/admin/ressources/signalement/"),
        order=20,
    )
)


# --- Dashboard ------------------------------------------------------------------------------------


# Leads' « Nouveautés »: what was published in this many days (older items are not news).
NOUVEAUTES_JOURS = 90


def ressources_panel(user) -> Panel | None:
    """Leads: what is new in the network (on their themes when they chose some). Partners: what is open to them."""
    if is_equipe(user):
        return None
    # Dated: read from the latest publication, past the undated drafts the order puts first.
    queryset = Ressource.objects.visible_to(user).published().filter(DATED).order_by("-publie_le", "-pk")
    themes: list = []
    if user.is_chef_de_projet:
        from ..premiers_pas import followed_themes

        themes = followed_themes(user=user)
        queryset = queryset.filter(publie_le__gte=timezone.now() - timedelta(days=NOUVEAUTES_JOURS))
        if themes:
            links = Ressource.themes.through.objects.filter(theme_id__in=[t.pk for t in themes])
            queryset = queryset.filter(pk__in=links.values("ressource_id"))
            title = _("Nouveautés du réseau sur mes thèmes")
        else:
            title = _("Nouveautés du réseau")
    else:
        title = _("Ressources ouvertes aux partenaires")
    return Panel(
        "ressources",
        str(title),
        "accueil/includes/_panel_ressources.html",
        {
            "title": title,
            "ressources": [(r, url_of(r)) for r in queryset[:5]],
            "lead": user.is_chef_de_projet,
            "themes": themes,
            "jours": NOUVEAUTES_JOURS,
        },
    )


PANELS.append(ressources_panel)


# --- Charts ---------------------------------------------------------------------------------------


def chart_contributions() -> Chart:
    """Published contributions per town: resources, experience sheets, questions (by département
    or région when there are too many towns to read)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    sources = [
        (0, Ressource.objects.published().filter(villes__isnull=False), "villes"),
        (1, RetourExperience.objects.published(), "ville"),
        (2, Question.objects.published().filter(villes__isnull=False), "villes"),
    ]
    for index, queryset, field in sources:
        for ville_id, n in queryset.values(field).annotate(n=Count("pk", distinct=True)).values_list(field, "n"):
            if ville_id is not None:
                counts[ville_id][index] = n
    territoires = par_territoire(counts, width=3)
    return Chart(
        key="contributions-villes",
        title=str(_("Contributions par territoire")),
        description=str(_("Ressources, retours d'expérience et questions publiés qui concernent chaque ville.")),
        label_header=territoires.label_header,
        series=[str(_("Ressources")), str(_("Retours d'expérience")), str(_("Questions"))],
        rows=territoires.rows,
        detail_header=territoires.detail_header,
        detail_rows=territoires.detail_rows,
    )


register_chart("contributions-villes", chart_contributions, order=40)
