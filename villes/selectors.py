"""Reads of towns and members, scoped and prefetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from reseau_acv.comptes.models import Invitation, Organisation, User
from reseau_acv.core.models import Theme

from .carte import Comptes
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


def departement_comptes() -> dict[str, Comptes]:
    """How many towns each département has, by programme (one query over the towns and their programmes)."""
    rows = Ville.objects.values("departement_code").annotate(
        total=Count("pk", distinct=True),
        acv=Count("pk", filter=Q(programmes__code="acv"), distinct=True),
        pvd=Count("pk", filter=Q(programmes__code="pvd"), distinct=True),
        reseau=Count("pk", filter=Q(reseau_regional=True), distinct=True),
    )
    return {
        row["departement_code"]: Comptes(acv=row["acv"], pvd=row["pvd"], reseau=row["reseau"], total=row["total"])
        for row in rows
    }


def villes_of_departement(*, code: str) -> list[Ville]:
    return list(Ville.objects.filter(departement_code=code).prefetch_related("programmes").order_by("nom"))


def members_directory() -> QuerySet[User]:
    """Members who consented to appear in the directory, with their organisation and towns."""
    return (
        User.objects.in_directory()
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "missions", queryset=Mission.objects.current().select_related("ville"), to_attr="current_missions"
            ),
            Prefetch("themes_expertise", queryset=Theme.objects.order_by("ordre").only("pk", "nom_court", "ordre")),
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


# --- invitations: towns and organisations named by staff, pending invitations --------------------


@dataclass(frozen=True)
class Intercommunalite:
    """An intercommunality (EPCI) of the region, as the reference data gives it."""

    nom: str
    siren: str
    communes: tuple[str, ...]


def intercommunalites(*, region: str | None = None) -> list[Intercommunalite]:
    """The intercommunalités of the network's region, from the towns' reference data (one query)."""
    rows = (
        Ville.objects.filter(region=region or settings.RESEAU_REGION)
        .exclude(epci_nom="")
        .order_by("epci_nom", "nom")
        .values_list("epci_nom", "epci_siren", "nom")
    )
    grouped: dict[str, dict] = {}
    for epci, siren, commune in rows:
        entry = grouped.setdefault(epci.casefold(), {"nom": epci, "siren": "", "communes": []})
        entry["siren"] = entry["siren"] or siren
        entry["communes"].append(commune)
    return [Intercommunalite(e["nom"], e["siren"], tuple(e["communes"])) for e in grouped.values()]


def organisations_known() -> list[Organisation]:
    return list(Organisation.objects.order_by("nom").only("nom", "sigle", "siren", "type"))


def organisations_by_name(names: list[str]) -> dict[str, Organisation]:
    """Existing organisations named by ``names`` (their name or acronym, case aside), by casefolded name."""
    keys = {name.strip().casefold() for name in names if name.strip()}
    if not keys:
        return {}
    found = Organisation.objects.annotate(cle=Lower("nom"), cle_sigle=Lower("sigle")).filter(
        Q(cle__in=keys) | Q(cle_sigle__in=keys)
    )
    result = {}
    for organisation in found:
        result.setdefault(organisation.nom.casefold(), organisation)
        if organisation.sigle:
            result.setdefault(organisation.sigle.casefold(), organisation)
    return result


def invitations_outstanding(*, etat: str = "en_attente") -> QuerySet[Invitation]:
    """Invitations not yet accepted nor revoked — still valid (``en_attente``) or expired (``expirees``) —
    newest sent first, with what each row of the list shows."""
    queryset = Invitation.objects.expired() if etat == "expirees" else Invitation.objects.pending()
    return (
        queryset.select_related("organisation", "invite_par")
        .prefetch_related(Prefetch("missions", queryset=Mission.objects.select_related("ville").order_by("ville__nom")))
        .order_by("-envoyee_le", "-pk")
    )


def departements() -> list[tuple[str, str]]:
    """The départements of the towns, as filter choices « Nom (code) » (cached: reference data)."""
    choices = cache.get("villes:departements")
    if choices is None:
        rows = Ville.objects.values_list("departement_code", "departement_nom").distinct().order_by("departement_code")
        choices = [(code, f"{nom} ({code})") for code, nom in rows]
        cache.set("villes:departements", choices, 3600)
    return choices


def regions() -> list[tuple[str, str]]:
    """The régions of the towns, as filter choices (cached: reference data)."""
    choices = cache.get("villes:regions")
    if choices is None:
        choices = [(r, r) for r in Ville.objects.values_list("region", flat=True).distinct().order_by("region")]
        cache.set("villes:regions", choices, 3600)
    return choices
