"""A member's page: who they are, what they know, what they shared — read for a viewer.

The page follows the directory's consent: a member who did not consent is « not found » for
other members, and shown to staff (and to themself). Everything they published is read
through each model's ``visible_to(viewer)``: the page never shows what the viewer could not
open. The number of queries is fixed whatever the member published.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_equipe, is_member
from ressources.models import Message, Ressource, RetourExperience, Statut
from villes.models import Mission

# Items of each kind shown on the page; « voir tout » pages through the rest.
SHOWN = 5


def member_visible_or_404(*, viewer, pk: int) -> User:
    """The member ``pk`` as ``viewer`` may see them: in the directory, oneself, or anyone for staff."""
    if not is_member(viewer):
        raise Http404
    if is_equipe(viewer) or viewer.pk == pk:
        queryset = User.objects.filter(is_active=True)
    else:
        queryset = User.objects.in_directory()
    member = (
        queryset.select_related("organisation")
        .prefetch_related(
            Prefetch("themes_expertise", queryset=Theme.objects.order_by("ordre", "nom")),
            Prefetch(
                "missions",
                queryset=Mission.objects.current().select_related("ville").order_by("ville__nom"),
                to_attr="current_missions",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    return member


def _ressources(*, viewer, member) -> QuerySet[Ressource]:
    return (
        Ressource.objects.visible_to(viewer)
        .published()
        .filter(auteur=member)
        .defer("corps", "recherche")
        .order_by("-publie_le", "-pk")
    )


def _retours(*, viewer, member) -> QuerySet[RetourExperience]:
    return (
        RetourExperience.objects.visible_to(viewer)
        .published()
        .filter(auteur=member)
        .select_related("ville")
        .only("titre", "slug", "publie_le", "ville__nom", "ville__slug")
        .order_by("-publie_le", "-pk")
    )


def _reponses(*, viewer, member) -> QuerySet[Message]:
    """The member's answers that their question's author retained, in questions the viewer may see."""
    return (
        Message.objects.visible_to(viewer)
        .filter(auteur=member, masque=False, question__statut=Statut.PUBLIE, question__reponse_retenue=F("pk"))
        .select_related("question")
        .order_by("-cree_le", "-pk")
    )


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    empty: str
    rows: object  # rows(viewer=…, member=…) -> QuerySet


KINDS = [
    Kind("ressources", _("Ressources partagées"), _("Aucune ressource publiée."), _ressources),
    Kind("retours", _("Retours d'expérience"), _("Aucun retour d'expérience publié."), _retours),
    Kind("reponses", _("Réponses retenues"), _("Aucune réponse retenue pour l'instant."), _reponses),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass
class Section:
    kind: Kind
    items: list
    count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.items)


def member_sections(*, viewer, member) -> list[Section]:
    """The first items of each kind the member published and the viewer may see, with their number."""
    sections = []
    for kind in KINDS:
        rows = kind.rows(viewer=viewer, member=member)
        sections.append(Section(kind, list(rows[:SHOWN]), rows.count()))
    return sections


def member_kind_rows(*, viewer, member, key: str) -> tuple[Kind, QuerySet]:
    """All the rows of one kind (« voir tout »), to paginate; 404 for an unknown kind."""
    kind = KINDS_BY_KEY.get(key)
    if kind is None:
        raise Http404
    return kind, kind.rows(viewer=viewer, member=member)
