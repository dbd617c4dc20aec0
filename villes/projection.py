"""From latitude and longitude to the map's plane: Lambert-93 for metropolitan France, insets overseas.

Pure arithmetic, no Django: ``scripts/derive_carte_france.py`` projects the outlines with it once,
and the map projects the towns with it at each drawing, so that both land on the same plane.

The plane's unit is the hectometre of Lambert-93 (EPSG:2154, the legal projection of metropolitan
France: conformal conic on GRS80, standard parallels 44° and 49°), with y growing southwards as in
SVG. The five overseas départements are drawn in boxes beside the metropole, each with its own
scale: their parameters (centre and scale) come with the outlines
(``data/reference/national/contours_france.json``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# GRS80 and the Lambert-93 constants (IGN, « Projection conique conforme de Lambert »).
A = 6_378_137.0
E = 0.081_819_191_042_815_8
PHI1, PHI2, PHI0 = math.radians(44.0), math.radians(49.0), math.radians(46.5)
LAMBDA0 = math.radians(3.0)
X0, Y0 = 700_000.0, 6_600_000.0
# The plane: hectometres, y downwards from this northing.
UNIT = 100.0
NORTH = 7_150_000.0


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (E * math.sin(phi)) ** 2)


def _t(phi: float) -> float:
    s = E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - s) / (1 + s)) ** (E / 2)


N = (math.log(_m(PHI1)) - math.log(_m(PHI2))) / (math.log(_t(PHI1)) - math.log(_t(PHI2)))
F = _m(PHI1) / (N * _t(PHI1) ** N)
RHO0 = A * F * _t(PHI0) ** N


def lambert93(lat: float, lon: float) -> tuple[float, float]:
    """Lambert-93 easting and northing, in metres."""
    rho = A * F * _t(math.radians(lat)) ** N
    theta = N * (math.radians(lon) - LAMBDA0)
    return X0 + rho * math.sin(theta), Y0 + RHO0 - rho * math.cos(theta)


def metropole(lat: float, lon: float) -> tuple[float, float]:
    """A metropolitan point on the map's plane (hectometres, y downwards)."""
    x, y = lambert93(lat, lon)
    return x / UNIT, (NORTH - y) / UNIT


KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320


@dataclass(frozen=True)
class Encart:
    """An overseas département drawn in a box: a local equirectangular projection, scaled and moved.

    ``k`` is map units per kilometre; (``cx``, ``cy``) is where the centre (``lat``, ``lon``) lands.
    """

    lat: float
    lon: float
    k: float
    cx: float
    cy: float

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        u = (lon - self.lon) * math.cos(math.radians(self.lat)) * KM_PER_DEGREE_LON
        v = (lat - self.lat) * KM_PER_DEGREE_LAT
        return self.cx + self.k * u, self.cy - self.k * v


def project(lat: float, lon: float, *, encart: Encart | None = None) -> tuple[float, float]:
    """A point on the map's plane: in its overseas box when ``encart`` is given, in Lambert-93 otherwise."""
    return encart.project(lat, lon) if encart else metropole(lat, lon)
