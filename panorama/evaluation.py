"""Measure the town tagging on labelled headlines: precision and recall, per class of difficulty.

The labelled files (``tests/panorama/titres_etiquetes*.csv``) were written from the reader's
side — « which of the programme's towns is this headline about? » — before the matcher they
judge. Columns: ``titre``, ``departements`` (those the source covers, « ; »-separated),
``attendus`` (INSEE codes, « ; »-separated, empty when none), ``note`` (the class first: « rue »,
« personne », « préfixe », « homonyme »…). The ``_reserve`` file is held out: never tune on it.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .matching import TownMatcher

LABELLED_DIR = settings.BASE_DIR / "tests" / "panorama"
DEVELOPMENT = LABELLED_DIR / "titres_etiquetes.csv"
HELD_OUT = LABELLED_DIR / "titres_etiquetes_reserve.csv"
REFERENCE_DIR = settings.BASE_DIR / "data" / "reference"
# The classes of difficulty the report counts apart (the first word of the note); others are « autres ».
CLASSES = (
    "rue",
    "place",
    "monument",
    "station",
    "personne",
    "surnom",
    "oeuvre",
    "préfixe",
    "homonyme",
    "indice",
    "ancienne",
)


@dataclass
class Miss:
    titre: str
    departements: str
    attendus: set[str]
    trouves: set[str]
    note: str


@dataclass
class Score:
    rows: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[Miss] = field(default_factory=list)
    by_class: dict[str, Counter] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def regional_towns(directory: Path = REFERENCE_DIR) -> list[tuple[str, str, str]]:
    """``(code_insee, nom, departement)`` of the region's ACV towns and PVD communes (the tracked set)."""
    towns = {}
    for name in ("acv_centre_val_de_loire.csv", "pvd_centre_val_de_loire.csv"):
        with (directory / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                towns[row["insee_code"]] = (row["insee_code"], row["name"], row["departement_code"])
    return list(towns.values())


def evaluate(path: Path, matcher: TownMatcher) -> Score:
    """Tag each labelled headline and count true positives, false positives and misses."""
    score = Score()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected = set(filter(None, row["attendus"].split(";")))
            found = {m.code_insee for m in matcher.find(row["titre"], departements=row["departements"].split(";"))}
            tp, fp, fn = len(expected & found), len(found - expected), len(expected - found)
            score.rows += 1
            score.tp, score.fp, score.fn = score.tp + tp, score.fp + fp, score.fn + fn
            first = row["note"].split(" ")[0].split(":")[0]
            label = first if first in CLASSES else "autres"
            counts = score.by_class.setdefault(label, Counter())
            counts.update(rows=1, tp=tp, fp=fp, fn=fn)
            if fp or fn:
                score.misses.append(Miss(row["titre"], row["departements"], expected, found, row["note"]))
    return score
