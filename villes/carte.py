"""The map of the region, drawn as SVG from the towns' coordinates: no tile server."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
MARGIN = 28


@dataclass(frozen=True)
class MapPoint:
    ville: object
    x: float
    y: float
    kind: str  # "reseau", "acv" or "pvd"


@dataclass(frozen=True)
class MapLabel:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class TownMap:
    width: int
    height: int
    points: list[MapPoint]
    departements: list[MapLabel]


def _kind(ville) -> str:
    if ville.reseau_regional:
        return "reseau"
    codes = {p.code for p in ville.programmes.all()}
    return "acv" if "acv" in codes else "pvd"


def town_map(villes: list) -> TownMap:
    """Project the towns (equirectangular, scaled by the cosine of the mean latitude)."""
    if not villes:
        return TownMap(WIDTH, 200, [], [])
    lats = [float(v.latitude) for v in villes]
    lons = [float(v.longitude) for v in villes]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * k, max(lons) * k
    min_y, max_y = min(lats), max(lats)
    scale = (WIDTH - 2 * MARGIN) / max(max_x - min_x, 0.01)
    height = int((max_y - min_y) * scale + 2 * MARGIN)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round(MARGIN + (lon * k - min_x) * scale, 1), round(MARGIN + (max_y - lat) * scale, 1)

    points = []
    by_dep: dict[str, list[tuple[float, float]]] = {}
    for ville, lat, lon in zip(villes, lats, lons, strict=True):
        x, y = project(lat, lon)
        points.append(MapPoint(ville=ville, x=x, y=y, kind=_kind(ville)))
        by_dep.setdefault(f"{ville.departement_nom} ({ville.departement_code})", []).append((x, y))
    # Network towns last, so that they are drawn on top.
    points.sort(key=lambda p: {"pvd": 0, "acv": 1, "reseau": 2}[p.kind])
    labels = [
        MapLabel(text=name, x=round(sum(x for x, _ in xy) / len(xy), 1), y=round(sum(y for _, y in xy) / len(xy), 1))
        for name, xy in sorted(by_dep.items())
    ]
    return TownMap(WIDTH, height, points, labels)
