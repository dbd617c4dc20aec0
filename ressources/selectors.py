"""Reads of the library, scoped with ``visible_to(user)`` and prefetched (fixed query counts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.recherche import (
    CANDIDATES,
    Index,
    Recherche,
    Requete,
    excerpt,
    excerpt_text,
    in_order,
    parse_text,
    rechercher,
)
from villes.models import Mission

from .models import (
    ActeModeration,
    FichierVersion,
    Message,
    Question,
    Ressource,
    RetourExperience,
    Signalement,
    Sollicitation,
    Statut,
    Utile,
)
from .recherche import QUESTION, RESSOURCE, RETOUR

SORTS = {
    "recent": ("-publie_le", "-cree_le", "pk"),
    "ancien": ("publie_le", "cree_le", "pk"),
    "titre": (Lower("titre"), "pk"),
    "utile": ("-nb_utile", "-publie_le", "pk"),
}


def _ressource_list_qs(queryset: QuerySet, *, with_body: bool = False) -> QuerySet:
    # The search vector is heavy and never shown; the body only serves excerpts of a search.
    heavy = ("recherche",) if with_body else ("corps", "recherche")
    return (
        queryset.select_related("programme")
        .defer(*heavy)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("ordre")), "villes")
    )


class Classees:
    """Ranked rows as a sequence a paginator cuts: its length is the number of ranked ids, and a
    slice fetches only those rows, in rank order (not the whole ranking, sorted again by SQL)."""

    def __init__(self, queryset: QuerySet, ids: list[int], prepare):
        self.queryset, self.ids, self.prepare = queryset, ids, prepare

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return list(self.prepare(in_order(self.queryset, self.ids[key])))
        return self[key : key + 1][0]


@dataclass
class Trouve:
    """A list page's rows (ranked when searched) and the search behind them, if any."""

    queryset: QuerySet | Classees
    recherche: Recherche | None = None


def ressources_visible(*, user) -> QuerySet[Ressource]:
    return Ressource.objects.visible_to(user)


def ressources_search(*, queryset: QuerySet[Ressource], text: str = "", sort: str = "") -> Trouve:
    """Search an already filtered, visible queryset with the platform's engine: ranked by
    relevance (newest first with « recent »), or in the chosen order."""
    text = (text or "").strip()
    if not text:
        return Trouve(_ressource_list_qs(queryset.order_by(*SORTS.get(sort, SORTS["recent"]))))
    found = rechercher(queryset, RESSOURCE, text, sort="date" if sort == "recent" else "pertinence", elargir=True)
    if sort in SORTS and sort != "recent":
        ranked = in_order(queryset, found.resultats.ids).order_by(*SORTS[sort])
        return Trouve(_ressource_list_qs(ranked, with_body=True), found)
    return Trouve(Classees(queryset, found.resultats.ids, lambda rows: _ressource_list_qs(rows, with_body=True)), found)


def with_excerpts(items, *, text: str = "", index: Index = RESSOURCE, requete: Requete | None = None):
    """Each item's excerpt: the passage holding the searched words, marked and escaped
    (``requete``: the query the list shows — corrected or relaxed — else ``text`` parsed)."""
    requete = requete or (parse_text(text) if text else None)
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
    return list(
        Message.objects.visible_to(user)
        .filter(**fil)
        .select_related("auteur", "auteur__organisation")
        .prefetch_related("mentions")
    )


def ressources_latest(*, user, limit: int = 5) -> list[Ressource]:
    """The latest published resources of the network the user may see (dashboard)."""
    return list(
        Ressource.objects.visible_to(user).published().select_related("programme").order_by("-publie_le", "-pk")[:limit]
    )


# Published content carries its publication date (the publishing services set it): saying so lets
# PostgreSQL read the date index from the latest publication, past the thousands of undated drafts
# and proposals that the newest-first order puts ahead of it (~20 ms → ~2.5 ms for a busy town).
DATED = Q(publie_le__isnull=False)


def ressources_of_ville(*, user, ville, limit: int = 6) -> list[Ressource]:
    """The latest published resources concerning a town (town page)."""
    return list(
        Ressource.objects.visible_to(user)
        .published()
        .filter(DATED, villes=ville)
        .select_related("programme")
        .order_by("-publie_le", "-pk")[:limit]
    )


def retours_of_ville(*, user, ville, limit: int = 6) -> list[RetourExperience]:
    return list(
        RetourExperience.objects.visible_to(user)
        .published()
        .filter(DATED, ville=ville)
        .order_by("-publie_le", "-pk")[:limit]
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


def reserved_for_network(*, user, model) -> bool:
    """For a partner: whether published content of ``model`` is kept for project leads and staff."""
    return model.objects.published().reserved_for_network(user)


# --- experience sheets -----------------------------------------------------------------------


def retours_list(*, user, text: str = "", candidates: int = CANDIDATES) -> QuerySet[RetourExperience]:
    queryset = RetourExperience.objects.visible_to(user)
    if text.strip():
        queryset = in_order(queryset, rechercher(queryset, RETOUR, text, candidates=candidates).resultats.ids)
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


# --- people who know: members likely to answer a question -----------------------------------

# Words that tell a question's difficulty, by kind of difficulty of the experience sheets
# (compared without accents or case). A question that says « vacance commerciale » meets the
# sheets whose difficulty is « Vacance commerciale ».
DIFFICULTE_MOTS = {
    RetourExperience.Difficulte.VACANCE_COMMERCIALE: (
        "vacance commerciale",
        "cellules vacantes",
        "cellule vacante",
        "commerces vacants",
        "locaux vacants",
        "vitrines vides",
        "cellules commerciales",
    ),
    RetourExperience.Difficulte.FINANCEMENT: ("financement", "financer", "bouclage", "subvention", "fonds friches"),
    RetourExperience.Difficulte.INGENIERIE: ("ingenierie", "assistance a maitrise d'ouvrage", "amo"),
    RetourExperience.Difficulte.PROPRIETAIRES: ("proprietaire", "bailleurs", "coproprietes"),
    RetourExperience.Difficulte.FONCIER: ("foncier", "fonciere", "preemption", "friche"),
    RetourExperience.Difficulte.CRISE_SANITAIRE: ("confinement", "crise sanitaire", "covid"),
    RetourExperience.Difficulte.CONCERTATION: ("concertation", "habitants", "participation"),
    RetourExperience.Difficulte.GOUVERNANCE: ("gouvernance", "pilotage", "comite de projet"),
}
SUGGESTIONS = 5
# Evidence read per kind: enough to rank the best authors, bounded whatever the library's size.
EVIDENCE_ROWS = 60
# Latest resources on a question's themes whose authors are counted.
AUTHOR_CANDIDATES = EVIDENCE_ROWS * 2
# Latest experience sheets on a question's themes or difficulty that are ranked.
SHEET_CANDIDATES = EVIDENCE_ROWS * 4


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").split())


def question_difficultes(question: Question) -> list[str]:
    """The kinds of difficulty a question's words name (no query)."""
    text = _plain(f"{question.titre} {question.corps}")
    return [str(kind) for kind, words in DIFFICULTE_MOTS.items() if any(word in text for word in words)]


@dataclass
class Suggestion:
    """A member who may know, why (each reason readable by the viewer), and whether asked already."""

    membre: object = None
    score: int = 0
    raisons: list = field(default_factory=list)
    sollicite_le: object = None

    def add(self, points: int, raison) -> None:
        self.score += points
        if raison and len(self.raisons) < 3:
            self.raisons.append(raison)


def _similar_size(populations: list[int]) -> Q:
    rule = Q(pk__in=[])
    for population in populations[:5]:
        rule |= Q(ville__population__gte=population // 2, ville__population__lte=population * 2)
    return rule


def question_suggestions(
    *, viewer, question: Question, exclude: Iterable[int] = (), limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """Up to ``limit`` members likely to answer ``question``, best first, with their reasons.

    Evidence, read through ``visible_to(viewer)`` so that no reason names what the viewer may
    not open: published experience sheets on the question's themes or naming its difficulty
    (more for a town of a similar size), published resources on its themes, answers retained
    on its themes, themes of expertise the members declare, partners whose organisation covers
    the themes. Only active members who may see the question, never its author nor ``exclude``
    (who already answered); for others than staff, only members of the directory. A fixed
    number of queries whatever the size of the library.
    """
    User = get_user_model()  # noqa: N806 (a model class)
    if not question.is_published:
        return []
    themes = [theme.pk for theme in question.themes.all()]
    theme_names = {theme.pk: theme.nom_court or theme.nom for theme in question.themes.all()}
    difficultes = question_difficultes(question)
    populations = [v.population for v in question.villes.all() if v.population]
    if not populations and question.auteur_id:
        populations = list(
            Mission.objects.current()
            .filter(personne_id=question.auteur_id, ville__population__isnull=False)
            .values_list("ville__population", flat=True)[:5]
        )
    if not themes and not difficultes:
        return []
    skip = {question.auteur_id, *exclude}
    found: dict[int, Suggestion] = {}

    def suggestion(user_id: int) -> Suggestion:
        return found.setdefault(user_id, Suggestion())

    # Experience sheets: same themes, same difficulty, a town of a similar size; ranked among the
    # latest sheets that share a theme or the difficulty (ranking every one read thousands of rows
    # at national scale), found newest first from the date index.
    on_theme = RetourExperience.themes.through.objects.filter(retourexperience=OuterRef("pk"), theme__in=themes)
    latest_sheets = (
        RetourExperience.objects.visible_to(viewer)
        .published()
        .filter(Q(Exists(on_theme)) | Q(type_difficulte__in=difficultes), auteur__isnull=False)
        .exclude(auteur_id__in=[pk for pk in skip if pk])
        .order_by("-publie_le")
        .values("pk")[:SHEET_CANDIDATES]
    )
    sheets = (
        RetourExperience.objects.visible_to(viewer)
        .filter(pk__in=latest_sheets)
        .annotate(
            communs=Count("themes", filter=Q(themes__in=themes), distinct=True),
            meme_difficulte=Case(When(type_difficulte__in=difficultes, then=1), default=0, output_field=IntegerField()),
            meme_taille=Case(When(_similar_size(populations), then=1), default=0, output_field=IntegerField()),
        )
        .order_by("-meme_difficulte", "-communs", "-meme_taille", "-publie_le")
        .values("auteur_id", "titre", "communs", "meme_difficulte", "meme_taille", "type_difficulte")[:EVIDENCE_ROWS]
    )
    difficulte_labels = dict(RetourExperience.Difficulte.choices)
    for sheet in sheets:
        entry = suggestion(sheet["auteur_id"])
        points = 3 * sheet["communs"] + 5 * sheet["meme_difficulte"] + sheet["meme_taille"]
        if sheet["meme_difficulte"]:
            raison = _("a écrit la fiche « %(titre)s » (même difficulté : %(difficulte)s)") % {
                "titre": sheet["titre"],
                "difficulte": str(difficulte_labels[sheet["type_difficulte"]]).lower(),
            }
        else:
            raison = _("a écrit la fiche « %(titre)s »") % {"titre": sheet["titre"]}
        entry.add(points, raison if points >= 3 else None)

    if themes:
        # Resources shared on the same themes, counted per author: the authors of the latest ones
        # only (counting every author of a theme read thousands of rows at national scale), each
        # author's count read from their own resources (the author index), in the same query.
        on_themes = Ressource.objects.visible_to(viewer).published().filter(themes__in=themes)
        recent_authors = (
            on_themes.filter(auteur__isnull=False)
            .exclude(auteur_id__in=[pk for pk in skip if pk])
            .order_by("-pk")
            .values("auteur_id")[:AUTHOR_CANDIDATES]
        )
        shared = (
            on_themes.filter(auteur_id=OuterRef("pk"))
            .order_by()
            .values("auteur_id")
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        rows = (
            User.objects.filter(pk__in=recent_authors)
            .annotate(n=Subquery(shared))
            .order_by("-n", "pk")
            .values("n", auteur_id=F("pk"))[:EVIDENCE_ROWS]
        )
        for row in rows:
            n = row["n"]
            suggestion(row["auteur_id"]).add(
                2 * min(n, 3),
                ngettext("a partagé %(n)d ressource sur ces thèmes", "a partagé %(n)d ressources sur ces thèmes", n)
                % {"n": n},
            )
        # Answers the askers retained, on the same themes: read from the questions the viewer may
        # see (a retained answer is part of its question), its author counted once per question.
        rows = (
            Question.objects.visible_to(viewer)
            .published()
            .filter(themes__in=themes, reponse_retenue__isnull=False)  # the planner then starts from those
            .filter(reponse_retenue__masque=False, reponse_retenue__auteur__isnull=False)
            .exclude(reponse_retenue__auteur_id__in=[pk for pk in skip if pk])
            .values(auteur_retenu=F("reponse_retenue__auteur_id"))
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")[:EVIDENCE_ROWS]
        )
        for row in rows:
            n = row["n"]
            suggestion(row["auteur_retenu"]).add(
                2 * min(n, 3),
                ngettext("%(n)d réponse retenue sur ces thèmes", "%(n)d réponses retenues sur ces thèmes", n)
                % {"n": n},
            )

    # Members: those already found, and those whose declared expertise or organisation covers a theme.
    candidates = User.objects.able_to_see(question.visibilite).exclude(pk__in=[pk for pk in skip if pk])
    if not is_equipe(viewer):
        candidates = candidates.filter(consentement_annuaire=True)
    wanted = Q(pk__in=list(found))
    if themes:
        wanted |= Q(pk__in=User.objects.filter(themes_expertise__in=themes).values("pk")) | Q(
            role="partenaire",
            organisation_id__in=Theme.organisations.through.objects.filter(theme_id__in=themes).values(
                "organisation_id"
            ),
        )
    members = (
        candidates.filter(wanted)
        .order_by(Case(When(pk__in=list(found), then=0), default=1), "pk")
        .select_related("organisation")
        .prefetch_related(
            Prefetch("themes_expertise", queryset=Theme.objects.filter(pk__in=themes).only("pk"), to_attr="experts_de"),
            Prefetch("organisation__themes", queryset=Theme.objects.filter(pk__in=themes).only("pk"), to_attr="couvre"),
        )[: EVIDENCE_ROWS * 4]
    )
    ranked = []
    for member in members:
        entry = suggestion(member.pk)
        entry.membre = member
        expert = [theme_names[t.pk] for t in member.experts_de]
        if expert:
            entry.add(3, _("expertise déclarée : %(themes)s") % {"themes": ", ".join(expert)})
        couvre = [theme_names[t.pk] for t in member.organisation.couvre] if member.organisation_id else []
        if couvre and member.role == "partenaire":
            entry.add(2, _("son organisation couvre : %(themes)s") % {"themes": ", ".join(couvre)})
        if entry.score:
            ranked.append(entry)
    ranked.sort(key=lambda s: (-s.score, str(s.membre)))
    best = ranked[:limit]
    asked = dict(
        Sollicitation.objects.filter(question=question, membre_id__in=[s.membre.pk for s in best]).values_list(
            "membre_id", "cree_le"
        )
    )
    for entry in best:
        entry.sollicite_le = asked.get(entry.membre.pk)
    return best


# --- « Utile » ---------------------------------------------------------------------------------


def utile_marked(*, user, **target) -> bool:
    """Whether the member marked this item (``ressource=…``, ``retour=…``) as useful."""
    return bool(getattr(user, "is_authenticated", False)) and Utile.objects.filter(membre=user, **target).exists()


def messages_marked_useful(*, user, messages: list[Message]) -> set[int]:
    """Which of these answers or comments the member marked as useful (one query)."""
    if not getattr(user, "is_authenticated", False) or not messages:
        return set()
    return set(
        Utile.objects.filter(membre=user, message_id__in=[m.pk for m in messages]).values_list("message_id", flat=True)
    )


# --- mentions --------------------------------------------------------------------------------

MENTION_SUGGESTIONS = 8


def mention_candidates(*, user, fil, text: str) -> list:
    """Members whose name starts like ``text`` (two letters at least), in the directory and able
    to see ``fil``: whom the suggestions of « @… » offer. A fixed number of queries."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat

    from reseau_acv.core.notifications import who_may_see

    text = " ".join(str(text).replace("\x00", "").split())[:60].lstrip("@")
    if len(text) < 2 or not user.is_authenticated:
        return []
    members = (
        get_user_model()
        .objects.in_directory()
        .exclude(pk=user.pk)
        .annotate(nom_complet=Concat("first_name", Value(" "), "last_name"))
        .filter(  # accents folded: « @Hel » suggests Hélène
            Q(first_name__unaccent__istartswith=text)
            | Q(last_name__unaccent__istartswith=text)
            | Q(nom_complet__unaccent__istartswith=text)
        )
        .order_by("last_name", "first_name", "pk")[: MENTION_SUGGESTIONS * 3]
    )
    allowed = who_may_see(list(members), type(fil).objects.visible_to, fil.pk)
    return allowed[:MENTION_SUGGESTIONS]
