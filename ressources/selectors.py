"""Reads of the library, scoped with ``visible_to(user)`` and prefetched (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from reseau_acv.core.models import Theme
from reseau_acv.core.recherche import Index, Recherche, excerpt, excerpt_text, in_order, parse_text, rechercher

from .models import ActeModeration, FichierVersion, Message, Question, Ressource, RetourExperience, Signalement, Statut
from .recherche import QUESTION, RESSOURCE, RETOUR

SORTS = {
    "recent": ("-publie_le", "-cree_le", "pk"),
    "ancien": ("publie_le", "cree_le", "pk"),
    "titre": (Lower("titre"), "pk"),
}


def _ressource_list_qs(queryset: QuerySet, *, with_body: bool = False) -> QuerySet:
    # The search vector is heavy and never shown; the body only serves excerpts of a search.
    heavy = ("recherche",) if with_body else ("corps", "recherche")
    return (
        queryset.select_related("programme")
        .defer(*heavy)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("ordre")), "villes")
    )


@dataclass
class Trouve:
    """A list page's rows (ranked when searched) and the search behind them, if any."""

    queryset: QuerySet
    recherche: Recherche | None = None


def ressources_visible(*, user) -> QuerySet[Ressource]:
    return Ressource.objects.visible_to(user)


def ressources_search(*, queryset: QuerySet[Ressource], text: str = "", sort: str = "") -> Trouve:
    """Search an already filtered, visible queryset with the platform's engine: ranked by
    relevance (newest first with « recent »), or in the chosen order."""
    text = (text or "").strip()
    if not text:
        return Trouve(_ressource_list_qs(queryset.order_by(*SORTS.get(sort, SORTS["recent"]))))
    found = rechercher(queryset, RESSOURCE, text, sort="date" if sort == "recent" else "pertinence")
    ranked = in_order(queryset, found.resultats.ids)
    if sort in SORTS and sort != "recent":
        ranked = ranked.order_by(*SORTS[sort])
    return Trouve(_ressource_list_qs(ranked, with_body=True), found)


def with_excerpts(items, *, text: str = "", index: Index = RESSOURCE):
    """Each item's excerpt: the passage holding the searched words, marked and escaped."""
    requete = parse_text(text) if text else None
    for item in items:
        item.extrait = excerpt(excerpt_text(item, index), requete) if requete else ""
    return items


def ressource_detail_qs(*, user) -> QuerySet[Ressource]:
    return (
        Ressource.objects.visible_to(user)
        .select_related("programme", "auteur", "auteur__organisation")
        .prefetch_related("themes", "villes")
    )


def ressource_versions(*, ressource: Ressource) -> list[FichierVersion]:
    return list(ressource.versions.select_related("auteur").order_by("-numero"))


def messages_of(*, user, **fil) -> list[Message]:
    return list(Message.objects.visible_to(user).filter(**fil).select_related("auteur", "auteur__organisation"))


def ressources_latest(*, user, limit: int = 5) -> list[Ressource]:
    """The latest published resources of the network the user may see (dashboard)."""
    return list(
        Ressource.objects.visible_to(user).published().select_related("programme").order_by("-publie_le", "-pk")[:limit]
    )


def ressources_of_ville(*, user, ville, limit: int = 6) -> list[Ressource]:
    """The latest published resources concerning a town (town page)."""
    return list(
        Ressource.objects.visible_to(user)
        .published()
        .filter(villes=ville)
        .select_related("programme")
        .order_by("-publie_le", "-pk")[:limit]
    )


def retours_of_ville(*, user, ville, limit: int = 6) -> list[RetourExperience]:
    return list(
        RetourExperience.objects.visible_to(user).published().filter(ville=ville).order_by("-publie_le", "-pk")[:limit]
    )


def town_section_context(*, ville, user) -> dict:
    return {
        "ressources": ressources_of_ville(user=user, ville=ville),
        "retours": retours_of_ville(user=user, ville=ville),
        "reservees": Ressource.objects.published().filter(villes=ville).reserved_for_members(user)
        or RetourExperience.objects.published().filter(ville=ville).reserved_for_members(user),
    }


def reserved_for_members(*, user, model) -> bool:
    """For a visitor not signed in: whether published content of ``model`` is kept for members."""
    return model.objects.published().reserved_for_members(user)


# --- experience sheets -----------------------------------------------------------------------


def retours_list(*, user, text: str = "") -> QuerySet[RetourExperience]:
    queryset = RetourExperience.objects.visible_to(user)
    if text.strip():
        queryset = in_order(queryset, rechercher(queryset, RETOUR, text).resultats.ids)
    else:
        queryset = queryset.order_by("-publie_le", "-cree_le", "pk")
    return queryset.select_related("ville").prefetch_related("themes")


def retour_detail_qs(*, user) -> QuerySet[RetourExperience]:
    return (
        RetourExperience.objects.visible_to(user)
        .select_related("ville", "auteur", "auteur__organisation")
        .prefetch_related("themes", Prefetch("ressources", queryset=Ressource.objects.visible_to(user)))
    )


def retours_similaires(*, user, retour: RetourExperience, limit: int = 5) -> list[RetourExperience]:
    """Sheets from other towns that share a theme, most shared themes first."""
    theme_ids = [t.pk for t in retour.themes.all()]
    if not theme_ids:
        return []
    return list(
        RetourExperience.objects.visible_to(user)
        .published()
        .exclude(ville_id=retour.ville_id)
        .filter(themes__in=theme_ids)
        .annotate(communs=Count("themes", filter=Q(themes__in=theme_ids)))
        .select_related("ville")
        .order_by("-communs", "-publie_le")[:limit]
    )


# --- questions -------------------------------------------------------------------------------


def questions_list(*, user, text: str = "") -> QuerySet[Question]:
    queryset = Question.objects.visible_to(user)
    if text.strip():
        queryset = in_order(queryset, rechercher(queryset, QUESTION, text).resultats.ids)
    else:
        queryset = queryset.order_by("-epinglee", "-publie_le", "-cree_le", "pk")
    return queryset.select_related("auteur").prefetch_related("themes", "villes").annotate(nb_reponses=_answers_count())


def _answers_count():
    """Visible answers of each question: a subquery run for the rows of the page only (a
    ``Count`` join would count the answers of every question before the page is cut)."""
    answers = (
        Message.objects.filter(question=OuterRef("pk"), masque=False)
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(answers, output_field=IntegerField()), 0)


def question_detail_qs(*, user) -> QuerySet[Question]:
    return (
        Question.objects.visible_to(user)
        .select_related("auteur", "auteur__organisation")
        .prefetch_related("themes", "villes")
    )


# --- moderation ------------------------------------------------------------------------------


def moderation_resources() -> QuerySet[Ressource]:
    """Proposed resources, the oldest waiting first, with what the queue shows of each."""
    return (
        Ressource.objects.awaiting_moderation()
        .select_related("auteur", "auteur__organisation", "programme")
        .prefetch_related("villes", "themes")
        .order_by("modifie_le", "pk")
    )


def moderation_retours() -> QuerySet[RetourExperience]:
    """Proposed experience sheets, the oldest waiting first."""
    return (
        RetourExperience.objects.awaiting_moderation()
        .select_related("auteur", "auteur__organisation", "ville")
        .prefetch_related("themes")
        .order_by("modifie_le", "pk")
    )


def moderation_queue() -> dict:
    """What the queue shows besides the proposals (paginated by the view): reports, the journal."""
    return {
        "signalements": list(
            Signalement.objects.filter(traite=False, message__masque=False)
            .select_related(
                "auteur", "message", "message__auteur", "message__question", "message__ressource", "message__retour"
            )
            .order_by("cree_le")
        ),
        "actes": list(ActeModeration.objects.select_related("acteur", "cible_type")[:30]),
    }


def moderation_count() -> int:
    return (
        Ressource.objects.filter(statut=Statut.PROPOSE).count()
        + RetourExperience.objects.filter(statut=Statut.PROPOSE).count()
    )
