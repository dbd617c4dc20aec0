"""Reads of towns and members, scoped and prefetched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.text import slugify

from reseau_acv.comptes.models import Invitation, Organisation, User

from .models import Mission, Ville

INSEE_CODE_RE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$")


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


# --- invitations: towns and organisations named by staff, pending invitations --------------------

TOWN_HINT_RE = re.compile(r"^(?P<nom>.+?)\s*\((?P<dep>[0-9]{2,3}|2[ABab])\)$")
TOWN_SEPARATORS_RE = re.compile(r"[,;|\n]+")


def split_villes(text: str) -> list[str]:
    """The towns written in a field: separated by commas, semicolons, bars or new lines."""
    return [part.strip() for part in TOWN_SEPARATORS_RE.split(text or "") if part.strip()]


@dataclass
class TownMatch:
    """What one written town names: exactly one town, none, or several (then ask for the département)."""

    token: str
    villes: list[Ville]
    suggestions: list[Ville] = field(default_factory=list)


def _token_parts(token: str) -> tuple[str, str, str]:
    """(INSEE code, name slug, département hint) of a written town."""
    token = token.strip()
    if INSEE_CODE_RE.match(token.upper()):
        return token.upper(), "", ""
    hint = TOWN_HINT_RE.match(token)
    name, dep = (hint["nom"], hint["dep"].upper()) if hint else (token, "")
    return "", slugify(name), dep


def villes_resolve(tokens: list[str]) -> dict[str, TownMatch]:
    """The towns each written token names — an INSEE code, or a name (case and accents aside),
    optionally with its département: « Saint-Amand-Montrond (18) ». Two queries (three when a
    name matches nothing: then towns whose name begins like it are suggested)."""
    parts = {token: _token_parts(token) for token in tokens}
    codes = {code for code, _slug, _dep in parts.values() if code}
    slugs = {slug for _code, slug, _dep in parts.values() if slug}
    if not parts:
        return {}
    names = {TOWN_HINT_RE.sub(r"\g<nom>", token).strip() for token, (code, _s, _d) in parts.items() if not code}
    rule = Q(code_insee__in=codes) | Q(slug__in=slugs) | Q(nom__in=names)
    for slug in slugs:
        rule |= Q(slug__startswith=f"{slug}-")  # « saint-denis-93066 »: a homonym's slug carries its code
    candidates = list(Ville.objects.filter(rule).prefetch_related("programmes").order_by("nom", "departement_code"))
    result = {}
    for token, (code, slug, dep) in parts.items():
        if code:
            found = [v for v in candidates if v.code_insee == code]
        else:
            found = [v for v in candidates if slugify(v.nom) == slug and (not dep or v.departement_code == dep)]
        result[token] = TownMatch(token=token, villes=found)
    unknown = [m for m in result.values() if not m.villes and _token_parts(m.token)[1]]
    if unknown:
        # Suggestions: towns whose name begins with what was typed (« Saint-Amand »), or close to it
        # (« Avrod », « Vierzonn »), among those that share its first two letters.
        prefix_rule = Q()
        for match in unknown:
            prefix = _token_parts(match.token)[1][:2]
            prefix_rule |= Q(slug__startswith=prefix) | Q(nom__istartswith=match.token.strip()[:2])
        nearby = list(Ville.objects.filter(prefix_rule).only("nom", "slug", "departement_code")[:2000])
        by_slug: dict[str, list[Ville]] = {}
        for ville in nearby:
            by_slug.setdefault(slugify(ville.nom), []).append(ville)
        for match in unknown:
            slug = _token_parts(match.token)[1]
            close = [s for s in by_slug if s.startswith(slug)] or get_close_matches(slug, by_slug, n=3, cutoff=0.75)
            match.suggestions = [v for s in sorted(close)[:5] for v in by_slug[s]][:5]
    return result


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
