"""Reads of towns and members, scoped and prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from reseau_acv.comptes.models import User

from .models import Mission, Ville


def villes_list() -> QuerySet[Ville]:
    return Ville.objects.prefetch_related("programmes").order_by("nom")


def ville_missions(*, ville: Ville) -> QuerySet[Mission]:
    return (
        Mission.objects.current()
        .with_person()
        .filter(ville=ville)
        .select_related("personne", "personne__organisation")
        .order_by("intitule", "personne__last_name")
    )


def villes_for_map() -> list[Ville]:
    return list(
        Ville.objects.filter(latitude__isnull=False, longitude__isnull=False, ville_appui=False)
        .prefetch_related("programmes")
        .order_by("nom")
    )


def members_directory() -> QuerySet[User]:
    """Members who consented to appear in the directory, with their organisation and towns."""
    return (
        User.objects.in_directory()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("missions", queryset=Mission.objects.current().select_related("ville"), to_attr="current_missions")
        )
        .order_by("last_name", "first_name")
    )


def user_villes(*, user) -> QuerySet[Ville]:
    if not user.is_authenticated:
        return Ville.objects.none()
    return (
        Ville.objects.filter(missions__in=Mission.objects.current().filter(personne=user))
        .prefetch_related("programmes")
        .distinct()
        .order_by("nom")
    )
