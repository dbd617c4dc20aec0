"""State changes of towns: the reference-data import, missions, invitations of leads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.text import slugify

from reseau_acv.comptes.models import Invitation, Organisation, Role, User
from reseau_acv.comptes.services import (
    InvitationDraft,
    OrganisationDraft,
    invitations_create,
    organisations_get_or_create,
)
from reseau_acv.core.csvimport import CsvImportError, CsvProblem, csv_read
from reseau_acv.core.permissions import require_equipe
from reseau_acv.core.recherche import index_refresh

from .models import Mission, Programme, Ville
from .recherche import VILLE

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
INSEE_RE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$")

PROGRAMMES = {
    "acv": {
        "nom": "Action Cœur de Ville",
        "sigle": "ACV",
        "lancement": date(2018, 3, 27),
        "site_web": "https://agence-cohesion-territoires.gouv.fr/action-coeur-de-ville-42",
        "description": "Programme national de revitalisation des centres des villes moyennes : "
        "244 villes en France, 14 en Centre-Val de Loire.",
    },
    "pvd": {
        "nom": "Petites villes de demain",
        "sigle": "PVD",
        "lancement": date(2020, 10, 1),
        "site_web": "https://agence-cohesion-territoires.gouv.fr/petites-villes-de-demain-45",
        "description": "Programme national pour les communes de moins de 20 000 habitants qui exercent "
        "des fonctions de centralité : 1 607 communes, 99 en Centre-Val de Loire.",
    },
}


class ReferenceImportError(CsvImportError):
    """A bad row: nothing was imported. ``str()`` names the file, the line and the reason."""

    def __init__(self, filename: str, line: int | None, reason: str):
        self.filename, self.line, self.reason = filename, line, reason
        super().__init__([CsvProblem(filename, line, reason)])


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    by_programme: dict[str, int] = field(default_factory=dict)


def _read(
    path: Path, *, required: tuple[str, ...] = (), unique_by: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a reference file with their line numbers (the header is line 1), or raise."""
    if not path.exists():
        raise ReferenceImportError(path.name, None, f"fichier introuvable dans {path.parent}")
    table = csv_read(path, required=required, unique_by=unique_by)
    table.raise_if_problems()
    return table.rows


def _required(row: dict, key: str, filename: str, line: int) -> str:
    value = (row.get(key) or "").strip()
    if not value:
        raise ReferenceImportError(filename, line, f"la colonne « {key} » est vide ou absente")
    return value


def _insee(row: dict, filename: str, line: int) -> str:
    code = _required(row, "insee_code", filename, line)
    if not INSEE_RE.match(code):
        raise ReferenceImportError(filename, line, f"code INSEE invalide « {code} » (5 caractères attendus)")
    return code


def _int(value: str, key: str, filename: str, line: int) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ReferenceImportError(filename, line, f"« {key} » n'est pas un nombre entier : « {value} »") from None


def _coord(value: str, key: str, low: float, high: float, filename: str, line: int) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.00001"))
    except InvalidOperation:
        raise ReferenceImportError(filename, line, f"« {key} » n'est pas un nombre : « {value} »") from None
    if not low <= number <= high:
        raise ReferenceImportError(filename, line, f"« {key} » hors des bornes attendues : {value}")
    return number


ACV_COLUMNS = ("name", "insee_code", "departement_code", "departement_name", "in_network_2020")
PVD_COLUMNS = ("name", "insee_code", "departement_code", "departement_name", "siren_epci", "epci_2021")
COORD_COLUMNS = ("insee_code", "latitude", "longitude")
APPUI_COLUMNS = ("name", "insee_code", "departement_code", "departement_name", "region_name")


class _Problems:
    """Collects every problem of every file, so that one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[CsvProblem] = []

    def rows(self, path: Path, required: tuple[str, ...]):
        try:
            table = csv_read(path, required=required, unique_by=("insee_code",)) if path.exists() else None
        except CsvImportError as error:
            self.problems += error.problems
            return []
        if table is None:
            self.problems.append(CsvProblem(path.name, None, f"fichier introuvable dans {path.parent}"))
            return []
        self.problems += table.problems
        return table.rows

    def check(self, parse, *args):
        """``parse(*args)``, or None after recording the problem it raised."""
        try:
            return parse(*args)
        except CsvImportError as error:
            self.problems += error.problems
            return None


def _town(row: dict, name: str, line: int, *, population: str = "population") -> dict:
    """The fields every reference file gives a town: name, département, population."""
    return {
        "nom": _required(row, "name", name, line),
        "departement_code": _required(row, "departement_code", name, line),
        "departement_nom": _required(row, "departement_name", name, line),
        "population": _int(row.get(population, ""), population, name, line),
        "source": row.get("source", "").strip(),
    }


def _located(row: dict, name: str, line: int) -> dict:
    """The year of a town's population and its map point, for the files that give them."""
    return {
        "population_annee": _int(row.get("population_year", ""), "population_year", name, line),
        "latitude": _coord(row.get("latitude", ""), "latitude", 41, 52, name, line),
        "longitude": _coord(row.get("longitude", ""), "longitude", -6, 10, name, line),
    }


def _acv_row(row: dict, name: str, line: int) -> tuple[str, dict]:
    code = _insee(row, name, line)
    network = _required(row, "in_network_2020", name, line).lower()
    if network not in {"true", "false"}:
        raise ReferenceImportError(name, line, f"« in_network_2020 » doit valoir true ou false, pas « {network} »")
    return code, {
        **_town(row, name, line),
        **_located(row, name, line),
        "coordonnees_source": "ANCT (point du chef-lieu)",
        "epci_nom": row.get("epci", "").strip(),
        "reseau_regional": network == "true",
        "programmes": {"acv"},
    }


def _coord_row(row: dict, name: str, line: int) -> tuple[str, tuple]:
    return _insee(row, name, line), (
        _coord(row.get("latitude", ""), "latitude", 41, 52, name, line),
        _coord(row.get("longitude", ""), "longitude", -6, 10, name, line),
        row.get("source", "").strip(),
    )


def _pvd_row(row: dict, name: str, line: int, coords: dict) -> tuple[str, dict]:
    code = _insee(row, name, line)
    lat, lon, coord_source = coords.get(code, (None, None, ""))
    siren = row.get("siren_epci", "").strip()
    if siren and not re.fullmatch(r"[0-9]{9}", siren):
        raise ReferenceImportError(name, line, f"SIREN d'intercommunalité invalide « {siren} » (9 chiffres attendus)")
    return code, {
        **_town(row, name, line, population="population_as_given"),
        "latitude": lat,
        "longitude": lon,
        "coordonnees_source": coord_source,
        "epci_nom": row.get("epci_2021", "").strip(),
        "epci_siren": siren,
        "pvd_groupe": row.get("id_pvd", "").strip(),
        "programmes": {"pvd"},
    }


def _appui_row(row: dict, name: str, line: int) -> tuple[str, dict]:
    return _insee(row, name, line), {
        **_town(row, name, line),
        **_located(row, name, line),
        "region": _required(row, "region_name", name, line),
        "coordonnees_source": "ANCT (point de carte)",
        "epci_siren": row.get("siren_epci", "").strip(),
        "ville_appui": True,
        "programmes": {"acv"},
    }


def _parse_reference(directory: Path) -> dict[str, dict]:
    """Read and check every row of every file; return town rows keyed by INSEE code.

    Every problem of every file is collected and raised together (:class:`CsvImportError`):
    bad encoding, empty file, missing column, a short or long row, a duplicated row or INSEE
    code, a bad value.
    """
    found = _Problems()
    towns: dict[str, dict] = {}

    def add(parsed) -> None:
        if parsed is None:
            return
        code, data = parsed
        merged = towns.setdefault(code, {"programmes": set()})
        programmes = merged["programmes"] | data.pop("programmes", set())
        merged.update({k: v for k, v in data.items() if v not in (None, "")})
        merged["programmes"] = programmes

    name = "acv_centre_val_de_loire.csv"
    for line, row in found.rows(directory / name, ACV_COLUMNS):
        add(found.check(_acv_row, row, name, line))

    name = "pvd_coordonnees.csv"
    coords = {}
    for line, row in found.rows(directory / name, COORD_COLUMNS):
        parsed = found.check(_coord_row, row, name, line)
        if parsed:
            coords[parsed[0]] = parsed[1]

    name = "pvd_centre_val_de_loire.csv"
    for line, row in found.rows(directory / name, PVD_COLUMNS):
        add(found.check(_pvd_row, row, name, line, coords))

    name = "villes_appui.csv"
    for line, row in found.rows(directory / name, APPUI_COLUMNS):
        add(found.check(_appui_row, row, name, line))

    if found.problems:
        files = list(dict.fromkeys(problem.filename for problem in found.problems))
        raise CsvImportError(sorted(found.problems, key=lambda p: (files.index(p.filename), p.line or 0)))
    return towns


def villes_import_reference(*, directory: Path = REFERENCE_DIR) -> ImportReport:
    """Import (or update) the programmes and towns from the reference files.

    All rows are checked before anything is written; problems raise :class:`CsvImportError`
    (every problem, each with its file and line) and leave the database as it was. Re-running updates the
    rows in place (keyed by INSEE code) and never duplicates.
    """
    towns = _parse_reference(directory)
    report = ImportReport()
    with transaction.atomic():
        programmes = {}
        for code, values in PROGRAMMES.items():
            programmes[code], _ = Programme.objects.update_or_create(code=code, defaults=values)
        taken = dict(Ville.objects.values_list("slug", "code_insee"))
        for code, data in sorted(towns.items()):
            wanted = set(data.pop("programmes"))
            existing = Ville.objects.filter(code_insee=code).first()
            if existing is None:
                slug = slugify(data["nom"])
                if slug in taken and taken[slug] != code:
                    slug = f"{slug}-{code.lower()}"
                taken[slug] = code
                ville = Ville.objects.create(code_insee=code, slug=slug, **data)
                report.created += 1
            else:
                for key, value in data.items():
                    setattr(existing, key, value)
                existing.save()
                ville = existing
                report.updated += 1
            ville.programmes.add(*(programmes[p] for p in wanted))
            for p in wanted:
                report.by_programme[p] = report.by_programme.get(p, 0) + 1
        index_refresh(VILLE)
    return report


def missions_attach_invited_user(*, invitation: Invitation, user: User) -> None:
    """Invitation hook: the missions planned for an invited person become theirs."""
    Mission.objects.filter(invitation=invitation, personne__isnull=True).update(personne=user)


@dataclass
class InvitationPlan:
    """Who to invite, as staff decided it: one row of the form or of the CSV file.

    ``organisation`` is an existing organisation, or a draft to create (an intercommunalité of
    the reference data, or a new name). ``intitule`` empty: each town's title follows its
    programme (:meth:`Mission.intitule_for`).
    """

    email: str
    role: str
    organisation: Organisation | OrganisationDraft
    villes: list[Ville] = field(default_factory=list)
    intitule: str = ""
    prenom: str = ""
    nom: str = ""
    fonction: str = ""
    message: str = ""


def invitations_send(*, actor: User, plans: list[InvitationPlan]) -> list[Invitation]:
    """Invite every planned person at once: organisations created where needed, invitations,
    missions for the leads, and one e-mail each through the outbox — a fixed number of queries
    whatever the number of people. All or nothing."""
    require_equipe(actor)
    prefetch_related_objects([ville for plan in plans for ville in plan.villes], "programmes")  # the titles
    with transaction.atomic():
        drafts = [plan.organisation for plan in plans if isinstance(plan.organisation, OrganisationDraft)]
        created = organisations_get_or_create(actor=actor, drafts=drafts)
        invitations = invitations_create(
            actor=actor,
            drafts=[
                InvitationDraft(
                    email=plan.email,
                    role=plan.role,
                    organisation=(
                        created[plan.organisation.key]
                        if isinstance(plan.organisation, OrganisationDraft)
                        else plan.organisation
                    ),
                    prenom=plan.prenom,
                    nom=plan.nom,
                    fonction=plan.fonction,
                    message=plan.message,
                )
                for plan in plans
            ],
        )
        Mission.objects.bulk_create(
            [
                Mission(invitation=invitation, ville=ville, intitule=plan.intitule or Mission.intitule_for(ville))
                for plan, invitation in zip(plans, invitations, strict=True)
                if plan.role == Role.CHEF_DE_PROJET
                for ville in plan.villes
            ]
        )
    return invitations


def invitation_create_with_missions(*, actor: User, plan: InvitationPlan) -> Invitation:
    """Invite one member; for a lead, plan their missions on the chosen towns."""
    return invitations_send(actor=actor, plans=[plan])[0]


NATIONAL_DIR = REFERENCE_DIR / "national"
ANCT_MAP_POINT = "ANCT (point de carte)"


def _parse_national(directory: Path) -> tuple[dict[str, dict], list[str]]:
    """Read the national ACV and PVD lists; return town rows keyed by INSEE code, and skipped lines."""
    towns: dict[str, dict] = {}
    skipped: list[str] = []
    departements: dict[str, str] = {}
    regions: dict[str, str] = {}

    name = "pvd_communes.csv"
    pvd_rows = _read(directory / name)
    for line, row in pvd_rows:
        code = (row.get("insee_code") or "").strip()
        if not INSEE_RE.match(code):
            skipped.append(f"{name}, ligne {line} : code INSEE invalide « {code} »")
            continue
        departements.setdefault(row["departement_code"].strip(), row["departement_name"].strip())
        regions.setdefault(row["departement_code"].strip(), row["region_name"].strip())
    for line, row in pvd_rows:
        code = (row.get("insee_code") or "").strip()
        if not INSEE_RE.match(code):
            continue
        siren = (row.get("siren_epci") or "").strip()
        towns[code] = {
            "nom": _required(row, "name", name, line),
            "departement_code": _required(row, "departement_code", name, line),
            "departement_nom": _required(row, "departement_name", name, line),
            "region": regions[row["departement_code"].strip()],
            "population": _int(row.get("population", ""), "population", name, line),
            "epci_nom": (row.get("epci") or "").strip(),
            "epci_siren": siren if re.fullmatch(r"[0-9]{9}", siren) else "",
            "pvd_groupe": (row.get("id_pvd") or "").strip()[:20],
            "source": "ANCT, liste nationale PVD (janvier 2021), data/reference/national/pvd_communes.csv",
            "programmes": {"pvd"},
        }

    name = "acv_communes.csv"
    for line, row in _read(directory / name):
        code = _insee(row, name, line)
        dep = _required(row, "departement_code", name, line)
        siren = (row.get("siren_epci") or "").strip()
        data = towns.setdefault(code, {"programmes": set()})
        data["programmes"] = data["programmes"] | {"acv"}
        data.update(
            {
                "nom": _required(row, "name", name, line),
                "departement_code": dep,
                "departement_nom": data.get("departement_nom") or departements.get(dep, dep),
                "region": _required(row, "region_name", name, line),
                "population": _int(row.get("population", ""), "population", name, line),
                "latitude": _coord(row.get("latitude", ""), "latitude", -22, 52, name, line),
                "longitude": _coord(row.get("longitude", ""), "longitude", -62, 56, name, line),
                "coordonnees_source": ANCT_MAP_POINT,
                "epci_siren": siren if re.fullmatch(r"[0-9]{9}", siren) else data.get("epci_siren", ""),
                "source": "ANCT, carte nationale ACV (avril 2025), data/reference/national/acv_communes.csv",
            }
        )
    # Every commune's point from coordonnees_communes.csv (town halls: scripts/derive_carte_france.py):
    # the PVD list has none, and the ACV list's are the ANCT map's label points — overseas towns
    # moved into insets beside Brittany (Basse-Terre at 45° N, 4° W).
    name = "coordonnees_communes.csv"
    if (directory / name).exists():
        for line, row in _read(directory / name, required=("code_insee", "latitude", "longitude")):
            data = towns.get(row["code_insee"].strip())
            if data is not None:
                source = row.get("source", "").strip()
                data["latitude"] = _coord(row["latitude"], "latitude", -22, 52, name, line)
                data["longitude"] = _coord(row["longitude"], "longitude", -62, 56, name, line)
                data["coordonnees_source"] = f"{source} (annuaire de l'administration, IGN)"[:200]
    return towns, skipped


@dataclass
class NationalReport(ImportReport):
    skipped: list[str] = field(default_factory=list)


def villes_import_national(*, directory: Path = NATIONAL_DIR) -> NationalReport:
    """Add every ACV town and PVD commune of France from the national lists.

    Towns already present (the regional reference, richer: network flag, town-hall points) keep
    their data and only gain their programmes; the others are created in bulk. Re-running
    changes nothing. Lines that are not communes (the export's sample row) are skipped and said.
    """
    towns, skipped = _parse_national(directory)
    report = NationalReport(skipped=skipped)
    with transaction.atomic():
        programmes = {}
        for code, values in PROGRAMMES.items():
            programmes[code], _ = Programme.objects.update_or_create(code=code, defaults=values)
        existing = dict(Ville.objects.values_list("code_insee", "pk"))
        taken = set(Ville.objects.values_list("slug", flat=True))
        new = []
        for code, data in sorted(towns.items()):
            if code in existing:
                continue
            values = {k: v for k, v in data.items() if k != "programmes"}
            slug = slugify(values["nom"])
            if slug in taken:
                slug = f"{slug}-{code.lower()}"
            taken.add(slug)
            new.append(Ville(code_insee=code, slug=slug, **values))
        Ville.objects.bulk_create(new, batch_size=500)
        # Towns already present without a point, or with the ANCT map's (imported before the town
        # halls were), take the town hall's; the regional reference's own points stay.
        placeless = list(
            Ville.objects.filter(code_insee__in=towns).filter(
                Q(latitude__isnull=True) | Q(coordonnees_source=ANCT_MAP_POINT)
            )
        )
        for ville in placeless:
            data = towns[ville.code_insee]
            ville.latitude, ville.longitude = data.get("latitude"), data.get("longitude")
            ville.coordonnees_source = data.get("coordonnees_source", "")
        Ville.objects.bulk_update(placeless, ["latitude", "longitude", "coordonnees_source"], batch_size=500)
        report.created = len(new)
        report.updated = len(towns) - len(new)
        ids = dict(Ville.objects.filter(code_insee__in=towns).values_list("code_insee", "pk"))
        Link = Ville.programmes.through  # noqa: N806 (a model class)
        Link.objects.bulk_create(
            [
                Link(ville_id=ids[code], programme_id=programmes[p].pk)
                for code, data in towns.items()
                for p in data["programmes"]
            ],
            ignore_conflicts=True,  # a town already in the programme stays as it was
            batch_size=1000,
        )
        for data in towns.values():
            for p in data["programmes"]:
                report.by_programme[p] = report.by_programme.get(p, 0) + 1
    return report
