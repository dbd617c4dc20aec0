"""Derive the compact list of every commune of France the press matcher knows (run by the team; output committed).

Source: the npm package ``@etalab/decoupage-administratif`` (MIT code, data under the Licence
Ouverte: INSEE's Code officiel géographique). Its ``data/communes.json`` lists current communes
(``commune-actuelle``), delegated and associated communes (``commune-deleguee``,
``commune-associee``: former communes merged into a new one, each with its ``chefLieu``, the
current commune that took it in) and the municipal arrondissements of Paris, Lyon and Marseille
(left out: the press names the city). ``data/departements.json`` gives the départements' names,
for « Lignières (Cher) ».

Usage (no install needed, npm only downloads the tarball):

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python scripts/derive_communes_france.py package/data

writes ``data/reference/national/communes_france.csv`` (``code,nom,departement,chef_lieu``:
``chef_lieu`` empty for a current commune, the current commune's code for a former one) and
``data/reference/national/departements_france.csv`` (``code,nom,region``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "national"
KINDS = {"commune-actuelle": 0, "commune-deleguee": 1, "commune-associee": 2}


def main(data: Path) -> None:
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    rows = []
    current = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    for commune in communes:
        kind = KINDS.get(commune["type"])
        if kind is None:
            continue
        chef_lieu = commune.get("chefLieu", "") if kind else ""
        if kind and chef_lieu not in current:
            raise SystemExit(f"{commune['code']} {commune['nom']} : chef-lieu {chef_lieu} inconnu")
        rows.append((commune["code"], commune["nom"], commune["departement"], chef_lieu, kind))
    rows.sort(key=lambda row: (row[0], row[4], row[1]))
    with (OUT / "communes_france.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "nom", "departement", "chef_lieu"])
        writer.writerows(row[:4] for row in rows)
    departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    with (OUT / "departements_france.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "nom", "region"])
        writer.writerows(sorted((d["code"], d["nom"], d["region"]) for d in departements))
    counts = {kind: sum(1 for row in rows if row[4] == n) for kind, n in KINDS.items()}
    print(f"{len(rows)} communes écrites : {counts} ; {len(departements)} départements")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
