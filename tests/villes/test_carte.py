"""The map of France and of each département: outlines from the committed data, counts, towns, labels."""

import csv
import re
from itertools import combinations
from types import SimpleNamespace

import pytest

from tests.factories.villes import ProgrammeFactory, VilleFactory
from tests.helpers import axe_violations
from villes.carte import WIDTH_PX, Box, carte_departement, carte_france, contours
from villes.projection import lambert93
from villes.services import NATIONAL_DIR

ACV_PVD = ("acv_communes.csv", "pvd_communes.csv")


def _national_towns() -> dict[str, list]:
    """Every ACV town and PVD commune of France with its point, as plain objects, by département."""
    with (NATIONAL_DIR / "coordonnees_communes.csv").open(encoding="utf-8") as handle:
        points = {row["code_insee"]: row for row in csv.DictReader(handle)}
    towns: dict[str, SimpleNamespace] = {}
    for name, programme in zip(ACV_PVD, ("acv", "pvd"), strict=True):
        with (NATIONAL_DIR / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row["insee_code"]
                if code not in points:
                    continue
                town = towns.setdefault(
                    code,
                    SimpleNamespace(
                        nom=row["name"],
                        departement=row["departement_code"],
                        population=int(row["population"] or 0),
                        reseau_regional=False,
                        latitude=points[code]["latitude"],
                        longitude=points[code]["longitude"],
                        codes=set(),
                    ),
                )
                town.codes.add(programme)
    by_dep: dict[str, list] = {}
    for town in towns.values():
        progs = [SimpleNamespace(code=c) for c in sorted(town.codes)]
        town.programmes = SimpleNamespace(all=lambda progs=progs: progs)
        by_dep.setdefault(town.departement, []).append(town)
    return by_dep


def _no_overlap(boxes: list[Box]) -> list[tuple[Box, Box]]:
    return [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)]


def test_every_acv_and_pvd_commune_has_a_point_inside_france():
    """The committed points cover every commune of the national ACV and PVD lists, each on French soil."""
    wanted = set()
    for name in ACV_PVD:
        with (NATIONAL_DIR / name).open(encoding="utf-8") as handle:
            wanted |= {
                row["insee_code"] for row in csv.DictReader(handle) if re.fullmatch(r"\d[\dAB]\d{3}", row["insee_code"])
            }
    with (NATIONAL_DIR / "coordonnees_communes.csv").open(encoding="utf-8") as handle:
        points = {row["code_insee"]: row for row in csv.DictReader(handle)}
    assert wanted <= set(points)
    data = contours()
    for code, row in points.items():
        dep = code[:3] if code.startswith("97") else code[:2]
        x, y = data.project(float(row["latitude"]), float(row["longitude"]), dep)
        box = data.departements[dep].cadre
        # Each point falls in (or within 2 km of) its département's frame on the map.
        assert box.x - 20 <= x <= box.x + box.w + 20, code
        assert box.y - 20 <= y <= box.y + box.h + 20, code


def test_projection_is_lambert_93():
    """Paris (Notre-Dame) lands where IGN's Lambert-93 puts it, to the metre."""
    x, y = lambert93(48.85293, 2.35005)
    assert round(x) == pytest.approx(652_293, abs=60)
    assert round(y) == pytest.approx(6_861_620, abs=60)


def test_france_has_every_departement_and_region_as_svg_paths():
    """101 départements (5 overseas, in boxes) and 18 régions, each an SVG path in integer coordinates."""
    data = contours()
    assert len(data.departements) == 101
    assert len(data.regions) == 18
    assert set(data.encarts) == {"971", "972", "973", "974", "976"}
    for dep in data.departements.values():
        assert dep.contour.startswith("M")
        assert re.fullmatch(r"[Mmlz0-9 \-]+", dep.contour)
        assert dep.detail.count("l") >= dep.contour.count("l")
    assert sorted(c for r in data.regions.values() for c in r.departements) == sorted(data.departements)


def test_count_labels_of_france_never_collide_at_national_scale():
    """With every département holding towns, no two numbers on the map of France overlap."""
    comptes = {code: len(towns) for code, towns in _national_towns().items()}
    from villes.carte import Comptes

    carte = carte_france({code: Comptes(total=n, pvd=n) for code, n in comptes.items()})
    assert len(carte.labels) >= 90  # most départements show their number
    assert _no_overlap([label.box for label in carte.labels]) == []
    assert all(label.box.inside(carte.cadre) for label in carte.labels)


def test_town_labels_never_collide_in_any_departement():
    """In each of the 101 départements, with all their ACV and PVD towns, no name overlaps another
    name or another town's point, and every name stays inside the map."""
    for code, towns in _national_towns().items():
        carte = carte_departement(code, towns)
        labels = [p.label.box for p in carte.points if p.label] + [v.label.box for v in carte.voisins if v.label]
        assert _no_overlap(labels) == [], code
        for point in carte.points:
            dot = Box(point.x - point.r, point.y - point.r, 2 * point.r, 2 * point.r)
            others = [p.label.box for p in carte.points if p.label and p is not point]
            assert not any(dot.overlaps(b) for b in others), (code, point.ville.nom)
        assert all(b.inside(carte.cadre) for b in labels), code
        # Most towns keep their name on the map: the layout leaves out only what cannot fit.
        named = sum(1 for p in carte.points if p.label)
        assert named >= 0.7 * len(carte.points), (code, named, len(carte.points))
        assert carte.width_px <= WIDTH_PX


@pytest.mark.django_db
def test_france_map_counts_towns_by_departement_and_links_each(client, django_assert_num_queries):
    """The map of France writes each département's number of towns and links it to its own map;
    the list under it gives the same numbers by région; drawn once, it is kept an hour."""
    acv, pvd = ProgrammeFactory(code="acv", sigle="ACV"), ProgrammeFactory(code="pvd", sigle="PVD")
    VilleFactory(nom="Bourges", departement_code="18", programmes=[acv])
    for _ in range(3):
        VilleFactory(departement_code="18", programmes=[pvd])
    VilleFactory(departement_code="2A", programmes=[pvd])
    with django_assert_num_queries(1):
        page = client.get("/villes/carte/").content.decode()
    assert 'href="/villes/carte/18/"' in page
    assert 'href="/villes/carte/971/"' in page
    assert "Cher (18) : 1 ACV, 3 PVD" in page
    assert re.search(r"<text [^>]*>4</text>", page)  # the number written in the Cher
    assert "Centre-Val de Loire" in page
    assert "Corse-du-Sud (2A)</a> : 0 ACV, 1 PVD" in page
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert len(page) < 300_000
    # Reference data: the drawing is kept an hour, a second visit reads it alone (no query, no layout).
    VilleFactory(departement_code="18", programmes=[pvd])
    with django_assert_num_queries(0):
        again = client.get("/villes/carte/").content.decode()
    assert "Cher (18) : 1 ACV, 3 PVD" in again
    assert again.count("map-dep map-classe-") == page.count("map-dep map-classe-")


@pytest.mark.django_db
def test_departement_map_shows_its_towns_with_names_and_a_list(client, django_assert_num_queries):
    """A département's map draws each of its towns as a link with its name, and lists them under the map."""
    pvd = ProgrammeFactory(code="pvd", sigle="PVD")
    villes = [
        VilleFactory(nom="Avord", departement_code="18", latitude="47.03455", longitude="2.65094", programmes=[pvd]),
        VilleFactory(nom="Baugy", departement_code="18", latitude="47.08194", longitude="2.72861", programmes=[pvd]),
    ]
    VilleFactory(nom="Ailleurs", departement_code="41")
    with django_assert_num_queries(2):  # towns, their programmes
        page = client.get("/villes/carte/18/").content.decode()
    assert page.count('class="map-point map-pvd"') == 2
    for ville in villes:
        assert page.count(f'href="{ville.get_absolute_url()}"') == 2  # on the map and in the list
        assert f">{ville.nom}</text>" in page
    assert "Ailleurs" not in page
    assert 'href="/villes/carte/36/"' in page  # a neighbour (Indre) leads to its map
    assert "Centre-Val de Loire" in page


@pytest.mark.django_db
def test_departement_map_queries_do_not_grow_with_towns(client, django_assert_num_queries):
    """The map of one département runs the same two queries for 1 and 40 towns."""
    VilleFactory(departement_code="14")
    with django_assert_num_queries(2):
        client.get("/villes/carte/14/")
    VilleFactory.create_batch(39, departement_code="14")
    with django_assert_num_queries(2):
        response = client.get("/villes/carte/14/")
    assert response.content.decode().count('class="map-point') == 40


@pytest.mark.django_db
def test_unknown_departement_is_not_found(client):
    """A code that names no département answers 404."""
    assert client.get("/villes/carte/99/").status_code == 404
    assert client.get("/villes/carte/abc/").status_code == 404


REAL_BOXES = """() => [...document.querySelectorAll('svg text')].map(t => {
    const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_labels_as_drawn_by_a_browser_never_overlap_at_national_scale(live_server, page):
    """With every ACV town and PVD commune of France, the texts a real browser draws on the map of France
    and on the busiest départements (and an overseas one) overlap no other text."""
    from villes.services import villes_import_national

    villes_import_national()
    for path in ["/villes/carte/", "/villes/carte/14/", "/villes/carte/50/", "/villes/carte/971/"]:
        page.goto(live_server.url + path)
        drawn = page.evaluate(REAL_BOXES)
        assert len(drawn) > 5, path
        boxes = [Box(b["x"], b["y"], b["w"], b["h"]) for b in drawn]
        assert _no_overlap(boxes) == [], path
    assert axe_violations(page) == []


@pytest.mark.django_db
def test_overseas_towns_are_placed_on_their_island_not_on_the_anct_inset():
    """The ANCT map moves overseas ACV towns into insets beside Brittany; the import takes the town
    hall instead, also for a town imported before with the ANCT point."""
    from villes.models import Ville
    from villes.services import villes_import_national

    VilleFactory(code_insee="97105", nom="Basse-Terre", latitude="45.06080", longitude="-4.42090")
    Ville.objects.filter(code_insee="97105").update(coordonnees_source="ANCT (point de carte)")
    villes_import_national()
    basse_terre = Ville.objects.get(code_insee="97105")
    assert 15.8 < float(basse_terre.latitude) < 16.6
    assert -62 < float(basse_terre.longitude) < -61
    assert float(Ville.objects.get(code_insee="97209").latitude) < 15  # Fort-de-France
    assert not Ville.objects.filter(latitude__isnull=True).exists()
