"""« Mes contributions »: everything a member authored, with its status and what they can do next.

Resources, experience sheets and questions are read as one list, newest change first (a union
of the three tables, cut into pages by the database), then each page's rows are fetched by
kind: a fixed number of queries whatever the number of contributions. Answers and comments are
a second list. Every read goes through ``visible_to(user)`` (a member always sees their own).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q, Value
from django.utils.translation import gettext_lazy as _

from ressources.models import Message, Question, Ressource, RetourExperience, Statut

PER_PAGE = 20
WAITING = (Statut.BROUILLON, Statut.RENVOYE)


@dataclass(frozen=True)
class Genre:
    key: str
    model: type
    label: str
    update_url: str  # the edit page's URL name ('' when there is none)


GENRES = [
    Genre("ressource", Ressource, _("Ressource"), "ressources:ressource-update"),
    Genre("retour", RetourExperience, _("Retour d'expérience"), "ressources:retour-update"),
    Genre("question", Question, _("Question"), ""),
]
GENRES_BY_KEY = {genre.key: genre for genre in GENRES}
PROPOSABLE = {"ressource", "retour"}


@dataclass
class Contribution:
    genre: Genre
    objet: object

    @property
    def proposable(self) -> bool:
        return self.genre.key in PROPOSABLE


def _own(model, *, user):
    return model.objects.visible_to(user).filter(auteur=user)


def _union(*, user, statuts):
    parts = []
    for genre in GENRES:
        rows = _own(genre.model, user=user)
        if statuts:
            rows = rows.filter(statut__in=statuts)
        parts.append(
            rows.annotate(genre=Value(genre.key, output_field=CharField()))
            .order_by()
            .values_list("genre", "pk", "modifie_le")
        )
    return parts[0].union(*parts[1:], all=True).order_by("-modifie_le", "-pk")


def _objects(rows) -> list[Contribution]:
    """The page's objects, one query per kind present, in the page's order."""
    wanted: dict[str, list[int]] = {}
    for key, pk, _changed in rows:
        wanted.setdefault(key, []).append(pk)
    found = {}
    for key, pks in wanted.items():
        genre = GENRES_BY_KEY[key]
        queryset = genre.model.objects.filter(pk__in=pks)
        if genre.model is RetourExperience:
            queryset = queryset.select_related("ville")
        for obj in queryset.defer("recherche"):
            found[(key, obj.pk)] = obj
    return [Contribution(GENRES_BY_KEY[key], found[(key, pk)]) for key, pk, _changed in rows if (key, pk) in found]


def contributions_page(*, user, statut: str = "", number=None) -> tuple[Page, list[Contribution]]:
    """One page of the member's resources, sheets and questions (newest change first), of one status or all."""
    statuts = [statut] if statut in Statut.values else []
    page = Paginator(_union(user=user, statuts=statuts), PER_PAGE).get_page(number)
    return page, _objects(list(page.object_list))


def status_counts(*, user) -> dict[str, int]:
    """How many of the member's contributions are in each status."""
    counts = dict.fromkeys(Statut.values, 0)
    for genre in GENRES:
        for statut, n in (
            _own(genre.model, user=user).order_by().values("statut").annotate(n=Count("pk")).values_list("statut", "n")
        ):
            counts[statut] += n
    return counts


def messages_page(*, user, number=None) -> Page:
    """The member's answers and comments, newest first, with their thread and whether it was retained."""
    rows = (
        Message.objects.visible_to(user)
        .filter(auteur=user)
        .select_related("question", "ressource", "retour")
        .annotate(retenue=ExpressionWrapper(Q(question__reponse_retenue=F("pk")), output_field=BooleanField()))
        .order_by("-cree_le", "-pk")
    )
    return Paginator(rows, PER_PAGE).get_page(number)


def waiting(*, user, limit: int = 5) -> tuple[list[Contribution], int]:
    """What waits on the member: their drafts and what the team sent back (with its reason)."""
    parts = _union(user=user, statuts=WAITING)
    return _objects(list(parts[:limit])), parts.count()
