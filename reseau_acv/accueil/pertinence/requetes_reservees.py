"""Held-out queries of the relevance bench: written with the others, never used to tune the
engine (its weights, thresholds and thesaurus). ``bench_pertinence`` reports them apart."""

from __future__ import annotations

REQUETES = [
    ("piétonnisation", "synonyme", {"m05": 2, "p22": 1, "r11": 1, "r42": 1}),
    ("DREAL", "sigle", {"r24": 2, "m04": 2, "f09": 1}),
    ("taxe friches commerciales", "flexion", {"q01": 2, "p05": 2, "m01": 2}),
    ("maison france service", "flexion", {"r19": 2, "f12": 2, "p11": 2, "r34": 1}),
    ("Caisse des dépôts", "sigle", {"r32": 2, "r08": 1, "q02": 1, "f03": 1, "r23": 1}),
    ("permis de louer Montargis", "ville", {"r31": 2, "f08": 2, "p07": 2, "q09": 1}),
    ("chef de projet petites villes de demain", "phrase", {"r23": 2, "f18": 2, "m09": 2, "p14": 1}),
    ("facades", "accents", {"r17": 2, "f05": 2, "p06": 2, "r16": 2, "m08": 1}),
    ("navette gratuite", "flexion", {"r13": 2, "f16": 2, "p04": 2}),
    ("concertation habitants", "synonyme", {"r37": 2, "f10": 2, "p13": 2, "f04": 1}),
    ("vitrines vides", "synonyme", {"f15": 2, "f17": 1, "q10": 1, "r06": 1, "r36": 1}),
    ("comment financer une halle de marché", "phrase", {"q18": 2, "p19": 2}),
    ("reconvertir une usine abandonnée", "paraphrase", {"f09": 2, "p08": 2, "r24": 2, "q08": 1}),
    ("renovaton des facades", "faute", {"f05": 2, "r17": 2, "p06": 2}),
    ("qwerty azerty", "charabia", {}),
]
