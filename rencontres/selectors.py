"""Reads of meetings, scoped with ``visible_to`` and prefetched: a fixed number of queries."""

from __future__ import annotations

from django.db.models import BooleanField, Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from reseau_acv.comptes.models import User
from ressources.models import Ressource

from .models import FluxCalendrier, Inscription, PointOrdreDuJour, Rencontre, hash_feed_token


def _materiaux_prefetch(user) -> Prefetch:
    return Prefetch(
        "materiaux",
        queryset=Ressource.objects.visible_to(user).order_by("type", "titre"),
        to_attr="materiaux_visibles",
    )


def rencontres_agenda(*, user) -> QuerySet[Rencontre]:
    """Meetings the user may see, with town, themes, counts and the user's own status."""
    return (
        Rencontre.objects.visible_to(user)
        .select_related("ville")
        .prefetch_related("themes")
        .with_counts()
        .with_statut_for(user)
    )


def rencontre_detail_queryset(*, user) -> QuerySet[Rencontre]:
    """The queryset the meeting page fetches from: one meeting with everything it shows."""
    return (
        Rencontre.objects.visible_to(user)
        .select_related("ville")
        .prefetch_related(
            "themes",
            Prefetch("points", queryset=PointOrdreDuJour.objects.select_related("theme")),
            _materiaux_prefetch(user),
        )
        .with_counts()
        .with_statut_for(user)
    )


def rencontre_inscriptions(*, rencontre: Rencontre) -> QuerySet[Inscription]:
    """Registrations of a meeting for staff: registered first, then the waiting list."""
    return (
        Inscription.objects.filter(rencontre=rencontre)
        .actives()
        .select_related("membre", "membre__organisation")
        .order_by("-statut", "attente_depuis", "membre__last_name", "membre__first_name")
    )


def user_inscriptions(*, user) -> QuerySet[Inscription]:
    """The member's current registrations and places on waiting lists, for meetings they may see:
    upcoming meetings first, the soonest first; then past ones, the latest first. Each row carries
    ``a_venir``."""
    if not user.is_authenticated:
        return Inscription.objects.none()
    now = timezone.now()
    upcoming = Q(rencontre__fin__gte=now)
    return (
        Inscription.objects.filter(membre=user, rencontre__in=Rencontre.objects.visible_to(user))
        .actives()
        .select_related("rencontre", "rencontre__ville")
        .annotate(
            a_venir=Case(When(upcoming, then=Value(True)), default=Value(False), output_field=BooleanField()),
            debut_a_venir=Case(When(upcoming, then=F("rencontre__debut"))),
        )
        .order_by("-a_venir", F("debut_a_venir").asc(nulls_last=True), "-rencontre__debut", "pk")
    )


def rencontres_upcoming(*, user, limit: int = 5) -> list[Rencontre]:
    return list(
        rencontres_agenda(user=user)
        .filter(fin__gte=timezone.now(), statut__in=[Rencontre.Statut.PUBLIEE, Rencontre.Statut.ANNULEE])
        .order_by("debut")[:limit]
    )


def ville_section_context(*, ville, user) -> dict:
    """The town page's section: upcoming meetings it hosts, and the last ones it hosted."""
    hosted = (
        rencontres_agenda(user=user)
        .filter(ville=ville)
        .exclude(statut=Rencontre.Statut.BROUILLON)
        .prefetch_related(None)  # only titles and dates are shown: the same queries with or without meetings
    )
    now = timezone.now()
    return {
        "a_venir": list(hosted.filter(fin__gte=now).order_by("debut")[:5]),
        "passees": list(hosted.filter(fin__lt=now).order_by("-debut")[:5]),
        "reservees": rencontres_reserved_for_members(user=user, ville=ville),
    }


def rencontres_reserved_for_members(*, user, ville=None) -> bool:
    """For a visitor not signed in: whether announced meetings (of a town) are kept for members."""
    announced = Rencontre.objects.exclude(statut=Rencontre.Statut.BROUILLON)
    if ville is not None:
        announced = announced.filter(ville=ville)
    return announced.reserved_for_members(user)


def rencontres_reserved_for_network(*, user) -> bool:
    """For a partner: whether announced meetings are kept for project leads and staff (their work sessions)."""
    return Rencontre.objects.exclude(statut=Rencontre.Statut.BROUILLON).reserved_for_network(user)


def plenieres_years(*, user) -> list[int]:
    return list(
        Rencontre.objects.visible_to(user)
        .plenieres()
        .exclude(statut=Rencontre.Statut.BROUILLON)
        .annotate(annee=ExtractYear("debut", tzinfo=timezone.get_current_timezone()))
        .values_list("annee", flat=True)
        .distinct()
        .order_by("-annee")
    )


def plenieres_of_year(*, user, year: int) -> list[Rencontre]:
    """The plenaries of ``year`` with agenda, materials the user may see, and the
    participating organisations (those of attendees, or of registrants before attendance)."""
    tz = timezone.get_current_timezone()
    plenieres = list(
        Rencontre.objects.visible_to(user)
        .plenieres()
        .exclude(statut=Rencontre.Statut.BROUILLON)
        .annotate(annee=ExtractYear("debut", tzinfo=tz))
        .filter(annee=year)
        .select_related("ville")
        .prefetch_related(
            Prefetch("points", queryset=PointOrdreDuJour.objects.select_related("theme")),
            _materiaux_prefetch(user),
            Prefetch(
                "inscriptions",
                queryset=Inscription.objects.inscrits().select_related("membre__organisation"),
                to_attr="inscrits",
            ),
        )
        .order_by("debut")
    )
    for pleniere in plenieres:
        attended = [i for i in pleniere.inscrits if i.present]
        source = attended or pleniere.inscrits
        pleniere.organisations = sorted(
            {i.membre.organisation for i in source if i.membre.organisation_id}, key=lambda o: o.nom
        )
    return plenieres


def flux_owner(*, token: str) -> User | None:
    """The active member whose feed token this is, or None."""
    flux = (
        FluxCalendrier.objects.select_related("membre")
        .filter(token_hash=hash_feed_token(token), membre__is_active=True)
        .first()
    )
    return flux.membre if flux else None


def flux_rencontres(*, user) -> list[Rencontre]:
    """Meetings the member is registered for and may still see, for their private feed."""
    return list(
        Rencontre.objects.visible_to(user)
        .filter(inscriptions__membre=user, inscriptions__statut=Inscription.Statut.INSCRIT)
        .exclude(statut=Rencontre.Statut.BROUILLON)
        .select_related("ville")
        .order_by("debut")
    )


def user_flux(*, user) -> FluxCalendrier | None:
    if not user.is_authenticated:
        return None
    return FluxCalendrier.objects.filter(membre=user).first()
