"""Second held-out part of the relevance bench: 24 queries never used to tune the engine.

Written on 2026-11-29, before the work on the engine's thesaurus, so that this work is measured
on queries nobody tuned on. They were written purely from the member's side: a project lead of
a small town (Action Cœur de Ville, Petites villes de demain) typing what they would really
type, judged by reading every document of ``corpus.py`` for each query, and checked against
``requetes.py`` so as not to repeat its queries. The engine's code and thesaurus were not read,
and no result of the engine or of the bench on them was looked at, while judging them. Never tune
the engine on them: the bench prints them only as aggregates per category.

Grades as in ``requetes.py``: 2 = what they were looking for, 1 = useful too. Categories:
paraphrase (12: a mayor's everyday words, few or none of the documents'), synonyme (4: another
word of the trade), phrase (3: typed as a person asks), sigle (2: acronyms the corpus spells out
or uses), faute (1: a typo), accents (1: missing accents), charabia (1: nothing is relevant).
"""

from __future__ import annotations

REQUETES = [
    # hard paraphrases
    (
        "maisons qui s'écroulent dans la vieille ville",
        "paraphrase",
        {"r30": 2, "r29": 2, "f06": 2, "m04": 1, "r01": 1, "f14": 1},
    ),
    ("aider les anciens à faire leurs papiers sur internet", "paraphrase", {"r34": 2, "r19": 1, "f12": 1, "p11": 1}),
    ("les voitures roulent trop vite devant l'école", "paraphrase", {"r11": 2, "m05": 1}),
    (
        "les clients ne trouvent pas où se garer pour faire leurs courses",
        "paraphrase",
        {"r12": 2, "f16": 2, "q12": 2, "p18": 1, "r13": 1, "p04": 1, "q05": 1, "f04": 1},
    ),
    (
        "embellir les magasins de la grand-rue",
        "paraphrase",
        {"r16": 2, "f17": 2, "r27": 2, "r17": 1, "f05": 1, "p06": 1, "m08": 1, "f15": 1, "q10": 1},
    ),
    (
        "la population n'est pas d'accord avec le projet de la mairie",
        "paraphrase",
        {"f10": 2, "r37": 2, "p13": 2, "f04": 1, "q05": 1, "r15": 1},
    ),
    (
        "que faire d'un bâtiment communal désaffecté",
        "paraphrase",
        {"f12": 2, "r19": 2, "p11": 1, "r36": 1, "f09": 1, "p08": 1, "r24": 1, "q08": 1, "r25": 1, "q18": 1},
    ),
    ("la grande surface à l'entrée de la ville vide le centre", "paraphrase", {"r38": 2, "r32": 1}),
    ("les vieilles maisons sont des passoires thermiques", "paraphrase", {"r35": 2, "r01": 1, "q16": 1}),
    (
        "pas assez de personnel en mairie pour mener le projet",
        "paraphrase",
        {"r23": 2, "f18": 2, "f03": 1, "q02": 1, "r09": 1},
    ),
    (
        "mettre du double vitrage dans une maison classée",
        "paraphrase",
        {"q07": 2, "r35": 1, "f05": 1, "r18": 1, "m08": 1},
    ),
    (
        "trop d'appartements vides au-dessus des magasins",
        "paraphrase",
        {"r03": 2, "f02": 2, "q14": 1, "r04": 1, "r02": 1, "r01": 1, "q16": 1},
    ),
    # synonyms of the trade
    (
        "mobilité active",
        "synonyme",
        {"r10": 2, "r11": 2, "f04": 2, "m05": 2, "p03": 2, "r42": 1, "p22": 1, "q05": 1},
    ),
    ("boutique éphémère", "synonyme", {"r05": 2, "r36": 2, "f15": 2, "f01": 2, "q10": 1, "p01": 1}),
    ("renaturation des sols", "synonyme", {"r15": 2, "f13": 2, "p12": 2, "r14": 1}),
    ("maîtrise foncière", "synonyme", {"r29": 2, "f06": 2, "r08": 2, "m04": 1, "q08": 1, "r07": 1}),
    # natural questions
    (
        "est-ce qu'on peut obliger les propriétaires à ravaler leur façade ?",
        "phrase",
        {"r17": 2, "f05": 1, "p06": 1, "m08": 1},
    ),
    ("quelles aides pour ouvrir un commerce en centre-ville ?", "phrase", {"r40": 2, "r05": 2, "f01": 1, "p01": 1}),
    ("comment savoir si nos actions servent à quelque chose ?", "phrase", {"r22": 2, "m10": 1, "q17": 1, "f11": 1}),
    # acronyms (DETR is used in the corpus; SPR is only spelt out, in r18)
    ("DETR", "sigle", {"r25": 2, "f12": 2, "q18": 2}),
    ("SPR", "sigle", {"r18": 2, "f05": 1, "m08": 1, "q07": 1, "r16": 1}),
    # a typo, missing accents
    ("mannager de centre ville", "faute", {"r09": 2, "f03": 2, "q02": 2, "p16": 2}),
    ("droit de preemption commerce", "accents", {"r07": 2, "r08": 1}),
    # gibberish
    ("vlorpt quazimb", "charabia", {}),
]
