"""The map of France, drawn as SVG by the server: no tile server, nothing fetched at run time.

Outlines of the départements and régions come from ``data/reference/national/contours_france.json``
(made once by ``scripts/derive_carte_france.py``, already projected and simplified); towns are
placed from their coordinates with the same projection (:mod:`villes.projection`). Two views:

- France: each département shaded by its number of ACV towns and PVD communes, the number written
  where it fits, régions outlined; each département links to its own map;
- one département: its outline at a finer level, its neighbours (links to their maps), and every
  town as a point with its name where the name fits.

Labels never collide: each is placed at the first of a few positions around its point whose box
meets no label already placed and no other point, in order of importance, or left out (the point
keeps its name as a tooltip, and the list under the map names every town).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from .projection import Encart, project

CONTOURS = Path(settings.BASE_DIR) / "data" / "reference" / "national" / "contours_france.json"

# The width (CSS pixels) the map is laid out for: font sizes and point sizes are chosen in
# pixels at that width, then written in map units.
WIDTH_PX = 720
# Character width of the map's sans-serif font, as a share of its size (a little wider than
# DejaVu Sans, the widest of the usual ones, so that a real label fits in its box).
CHAR_EM = 0.64
BOLD_EM = 0.7
LINE_EM = 1.25


@dataclass(frozen=True)
class Box:
    """A rectangle on the map's plane: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x >= other.x
            and self.y >= other.y
            and self.x + self.w <= other.x + other.w
            and self.y + self.h <= other.y + other.h
        )


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    region: str
    contour: str
    detail: str
    cadre: Box
    etiquette: tuple[float, float]


@dataclass(frozen=True)
class Region:
    code: str
    nom: str
    departements: tuple[str, ...]
    contour: str


@dataclass(frozen=True)
class Contours:
    cadre: Box
    encarts: dict[str, Encart]
    cadres_encarts: dict[str, Box]
    regions: dict[str, Region]
    departements: dict[str, Departement]

    def project(self, lat: float, lon: float, departement: str) -> tuple[float, float]:
        return project(lat, lon, encart=self.encarts.get(departement))


@cache
def contours() -> Contours:
    """The committed outlines, read once per process."""
    data = json.loads(CONTOURS.read_text(encoding="utf-8"))
    return Contours(
        cadre=Box(*data["cadre"]),
        encarts={
            code: Encart(lat=e["lat"], lon=e["lon"], k=e["k"], cx=e["cx"], cy=e["cy"])
            for code, e in data["encarts"].items()
        },
        cadres_encarts={code: Box(*e["cadre"]) for code, e in data["encarts"].items()},
        regions={
            code: Region(code=code, nom=r["nom"], departements=tuple(r["departements"]), contour=r["contour"])
            for code, r in data["regions"].items()
        },
        departements={
            code: Departement(
                code=code,
                nom=d["nom"],
                region=d["region"],
                contour=d["contour"],
                detail=d["detail"],
                cadre=Box(*d["cadre"]),
                etiquette=tuple(d["etiquette"]),
            )
            for code, d in data["departements"].items()
        },
    )


# --- labels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A text placed on the map: ``x``, ``y`` is its anchor (SVG ``text-anchor`` and baseline)."""

    text: str
    x: float
    y: float
    size: float
    anchor: str  # "start", "middle" or "end"
    box: Box
    bold: bool = False


def text_box(text: str, x: float, y: float, *, size: float, anchor: str, bold: bool = False) -> Box:
    """The box a text takes when written at (``x``, ``y``) — alphabetic baseline, ``anchor`` alignment."""
    width = len(text) * size * (BOLD_EM if bold else CHAR_EM)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - size * 0.95, width, size * LINE_EM)


def _positions(x: float, y: float, r: float, size: float) -> list[tuple[float, float, str]]:
    """Where a point's name may go, best first: right, left, above, below, then the diagonals."""
    gap = r + size * 0.3
    mid = y + size * 0.35
    return [
        (x + gap, mid, "start"),
        (x - gap, mid, "end"),
        (x, y - gap - size * 0.25, "middle"),
        (x, y + gap + size * 0.95, "middle"),
        (x + gap * 0.8, y - gap * 0.8, "start"),
        (x - gap * 0.8, y - gap * 0.8, "end"),
        (x + gap * 0.8, y + gap * 0.8 + size * 0.7, "start"),
        (x - gap * 0.8, y + gap * 0.8 + size * 0.7, "end"),
    ]


@dataclass
class LabelLayout:
    """Labels placed one by one, most important first, never over another label or a point."""

    bounds: Box
    obstacles: list[Box] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def _free(self, box: Box, own: Box | None) -> bool:
        if not box.inside(self.bounds):
            return False
        if any(box.overlaps(label.box) for label in self.labels):
            return False
        return not any(box.overlaps(o) for o in self.obstacles if o is not own)

    def place(self, text: str, candidates, *, size: float, bold: bool = False, own: Box | None = None) -> Label | None:
        for x, y, anchor in candidates:
            box = text_box(text, x, y, size=size, anchor=anchor, bold=bold)
            if self._free(box, own):
                label = Label(text, round(x, 1), round(y, 1), round(size, 1), anchor, box, bold)
                self.labels.append(label)
                return label
        return None


# --- France ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comptes:
    """How many towns a département or a région has, by programme."""

    acv: int = 0
    pvd: int = 0
    reseau: int = 0
    total: int = 0

    def __add__(self, other: Comptes) -> Comptes:
        return Comptes(self.acv + other.acv, self.pvd + other.pvd, self.reseau + other.reseau, self.total + other.total)


# Shades of the départements by their number of towns (the number is written too).
CLASSES = [(0, 0), (1, 5), (6, 15), (16, 30), (31, 10_000)]


def classe(total: int) -> int:
    return next(i for i, (low, high) in enumerate(CLASSES) if low <= total <= high)


@dataclass(frozen=True)
class DepartementDessine:
    departement: Departement
    comptes: Comptes
    classe: int


@dataclass(frozen=True)
class RegionListee:
    region: Region
    comptes: Comptes
    departements: list[DepartementDessine]


@dataclass(frozen=True)
class CarteFrance:
    cadre: Box
    encarts: list[Box]
    departements: list[DepartementDessine]
    regions: list[RegionListee]
    labels: list[Label]
    stroke: float
    total: Comptes
    width_px: int = WIDTH_PX
    height_px: int = 0


COUNT_PX = 11


def carte_france(comptes: dict[str, Comptes]) -> CarteFrance:
    """France with each département's number of towns; ``comptes`` maps département codes to counts."""
    data = contours()
    unit = data.cadre.w / WIDTH_PX
    dessines = {
        code: DepartementDessine(d, comptes.get(code, Comptes()), classe(comptes.get(code, Comptes()).total))
        for code, d in data.departements.items()
    }
    layout = LabelLayout(bounds=data.cadre)
    size = COUNT_PX * unit
    # Busiest first: when two numbers cannot both be written, the larger one is.
    for dessine in sorted(dessines.values(), key=lambda d: (-d.comptes.total, d.departement.code)):
        if dessine.comptes.total:
            x, y = dessine.departement.etiquette
            layout.place(str(dessine.comptes.total), [(x, y + size * 0.35, "middle")], size=size, bold=True)
    regions = []
    for region in data.regions.values():
        deps = [dessines[c] for c in region.departements]
        total = sum((d.comptes for d in deps), Comptes())
        regions.append(RegionListee(region, total, deps))
    regions.sort(key=lambda r: unicodedata.normalize("NFD", r.region.nom))
    return CarteFrance(
        cadre=data.cadre,
        encarts=list(data.cadres_encarts.values()),
        departements=list(dessines.values()),
        regions=regions,
        labels=layout.labels,
        stroke=unit,
        total=sum((d.comptes for d in dessines.values()), Comptes()),
        height_px=round(WIDTH_PX * data.cadre.h / data.cadre.w),
    )


# --- one département ------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    ville: object
    x: float
    y: float
    r: float
    kind: str  # "reseau", "acv" or "pvd"
    label: Label | None


@dataclass(frozen=True)
class Voisin:
    departement: Departement
    label: Label | None


@dataclass(frozen=True)
class CarteDepartement:
    departement: Departement
    region: Region
    cadre: Box
    width_px: int
    height_px: int
    voisins: list[Voisin]
    points: list[Point]
    sans_position: list
    liste: list
    stroke: float
    comptes: Comptes


MAX_HEIGHT_PX = 720
RADIUS_PX = {"reseau": 7.0, "acv": 6.0, "pvd": 4.5}
NAME_PX = 12.5
NEIGHBOUR_PX = 12
PRIORITY = {"reseau": 0, "acv": 1, "pvd": 2}


def kind(ville) -> str:
    if ville.reseau_regional:
        return "reseau"
    codes = {p.code for p in ville.programmes.all()}
    return "acv" if "acv" in codes else "pvd"


def carte_departement(code: str, villes: list) -> CarteDepartement:
    """One département: its towns (programmes prefetched) as points, their names where they fit."""
    data = contours()
    dep = data.departements[code]
    margin = max(dep.cadre.w, dep.cadre.h) * 0.06
    cadre = Box(
        round(dep.cadre.x - margin),
        round(dep.cadre.y - margin),
        round(dep.cadre.w + 2 * margin),
        round(dep.cadre.h + 2 * margin),
    )
    # As wide as the page allows, but no taller than MAX_HEIGHT_PX (a tall département is narrower).
    width_px = min(WIDTH_PX, round(MAX_HEIGHT_PX * cadre.w / cadre.h))
    unit = cadre.w / width_px
    layout = LabelLayout(bounds=cadre)
    placed = []
    sans_position = []
    for ville in villes:
        if ville.latitude is None or ville.longitude is None:
            sans_position.append(ville)
            continue
        x, y = (round(c, 1) for c in data.project(float(ville.latitude), float(ville.longitude), code))
        k = kind(ville)
        r = round(RADIUS_PX[k] * unit, 1)
        box = Box(x - r, y - r, 2 * r, 2 * r)
        layout.obstacles.append(box)
        placed.append((ville, x, y, r, k, box))
    points = []
    important = sorted(placed, key=lambda p: (PRIORITY[p[4]], -(p[0].population or 0), p[0].nom))
    for ville, x, y, r, k, box in important:
        size = NAME_PX * unit
        label = layout.place(ville.nom, _positions(x, y, r, size), size=size, bold=k != "pvd", own=box)
        points.append(Point(ville, x, y, r, k, label))
    # Network towns last, so that they are drawn on top.
    points.sort(key=lambda p: -PRIORITY[p.kind])
    voisins = []
    for other in data.departements.values():
        if (
            other.code == code
            or not other.cadre.overlaps(cadre)
            or (code in data.encarts) != (other.code in data.encarts)
        ):
            continue
        x, y = other.etiquette
        size = NEIGHBOUR_PX * unit
        label = layout.place(other.nom, [(x, y + size * 0.35, "middle")], size=size) if other.etiquette else None
        voisins.append(Voisin(other, label))
    programmes = [{p.code for p in v.programmes.all()} for v in villes]
    comptes = Comptes(
        acv=sum("acv" in codes for codes in programmes),
        pvd=sum("pvd" in codes for codes in programmes),
        reseau=sum(v.reseau_regional for v in villes),
        total=len(villes),
    )
    return CarteDepartement(
        departement=dep,
        region=data.regions[dep.region],
        cadre=cadre,
        width_px=width_px,
        height_px=round(width_px * cadre.h / cadre.w),
        voisins=voisins,
        points=points,
        sans_position=sans_position,
        liste=sorted(villes, key=lambda v: v.nom),
        stroke=unit,
        comptes=comptes,
    )
