"""Queries of the relevance bench (tuning part), with graded judgements written from the
member's side before the engine: 2 = what they were looking for, 1 = useful too.

Each query has a category: synonyme, sigle, faute (typo), flexion, accents, phrase (typed as
a person asks), ville, paraphrase (hard: few words in common with the answer), charabia
(gibberish: nothing is relevant, nothing should be shown).
"""

from __future__ import annotations

REQUETES = [
    # synonyms of the trade
    ("mobilité douce", "synonyme", {"r10": 2, "r11": 2, "f04": 2, "m05": 2, "p03": 2, "q05": 1, "r42": 1, "p22": 1}),
    (
        "vacance commerciale",
        "synonyme",
        {"r06": 2, "f01": 2, "f15": 2, "q04": 2, "m01": 2, "p17": 2, "r05": 1, "r36": 1, "r09": 1, "q01": 1, "r39": 1},
    ),
    (
        "locaux vides",
        "synonyme",
        {"r06": 2, "q04": 2, "f15": 2, "f01": 2, "p17": 2, "r36": 2, "m01": 1, "r05": 1, "q10": 1, "p05": 1},
    ),
    ("vélo", "synonyme", {"r10": 2, "f04": 2, "q05": 2, "p03": 2, "m05": 2, "p22": 2, "r42": 1, "r11": 1}),
    ("habitat indigne", "synonyme", {"r30": 2, "r31": 2, "f08": 2, "p07": 2, "q09": 1}),
    ("marchands de sommeil", "synonyme", {"f08": 2, "p07": 2, "r31": 2, "r30": 1}),
    ("boutiques vides", "synonyme", {"r06": 2, "f15": 2, "r36": 2, "q04": 2, "f01": 2, "p17": 1, "r05": 1, "q10": 1}),
    # acronyms and their expansions
    ("EPF", "sigle", {"r29": 2, "f06": 2, "m04": 1, "q08": 1}),
    ("établissement public foncier", "sigle", {"r29": 2, "f06": 2, "m04": 1, "q08": 1}),
    ("ABF", "sigle", {"q07": 2, "f05": 2, "m08": 2, "r16": 1, "r18": 1}),
    ("CRTE", "sigle", {"r26": 2, "q06": 2, "m03": 1, "r39": 1}),
    ("FISAC", "sigle", {"r27": 2, "f17": 2}),
    ("ORT", "sigle", {"r21": 2, "q15": 2, "p09": 2, "f11": 1}),
    ("PVD", "sigle", {"r23": 2, "m09": 2, "p14": 2, "f18": 2, "m03": 1}),
    (
        "Banque des Territoires",
        "sigle",
        {"r08": 2, "q02": 2, "f03": 2, "f01": 1, "f11": 1, "m04": 1, "r23": 1, "f18": 1},
    ),
    (
        "Anah",
        "sigle",
        {"q16": 2, "f14": 2, "r01": 2, "r03": 1, "f02": 1, "r30": 1, "p02": 1, "f06": 1, "q03": 1, "f11": 1},
    ),
    ("FEDER", "sigle", {"r28": 2, "f09": 1}),
    ("DSIL", "sigle", {"f12": 2, "q18": 2, "p19": 2, "r25": 1, "m06": 1}),
    ("OPAH-RU", "sigle", {"r01": 2, "r02": 2, "f14": 2, "q03": 2, "p02": 2, "f02": 1, "m04": 1}),
    ("PLUi", "sigle", {"r38": 2}),
    # typos
    ("revitalistion", "faute", {"r32": 2, "m02": 1, "m04": 1, "r28": 1}),
    ("copropirétés", "faute", {"f14": 2, "q03": 2, "r01": 1, "m04": 1, "r35": 1, "r02": 1}),
    ("stationement", "faute", {"r12": 2, "q12": 2, "f16": 2, "f04": 1, "r14": 1, "p18": 1, "q05": 1, "r10": 1}),
    ("végétalisaton", "faute", {"r15": 2, "f13": 2, "p12": 1, "r14": 1}),
    ("boutique a l'esai", "faute", {"r05": 2, "f01": 2, "p01": 2}),
    ("friches industriele", "faute", {"f09": 2, "r24": 2, "p08": 2, "p15": 1, "q08": 1}),
    # inflections
    ("friche", "flexion", {"r24": 2, "f09": 2, "q08": 2, "p08": 2, "p15": 2, "m06": 1, "q01": 1, "p05": 1, "r25": 1}),
    ("rénover une façade", "flexion", {"r17": 2, "f05": 2, "p06": 2, "r16": 1, "m08": 1}),
    ("commerçants vente en ligne", "flexion", {"r33": 2, "f07": 2, "p10": 2, "m07": 2}),
    ("logement vacant", "flexion", {"r03": 2, "f02": 2, "r04": 2, "q14": 2, "r02": 1}),
    # missing accents
    ("renovation energetique", "accents", {"r35": 2, "r25": 1, "m06": 1}),
    ("chateauroux velo", "accents", {"r10": 2, "f04": 2, "p03": 2, "q05": 1}),
    ("maison de sante", "accents", {"r20": 2, "q11": 2, "p20": 2}),
    ("reamenagement place", "accents", {"r14": 2, "f10": 2, "p13": 2, "f13": 1, "p12": 1}),
    # natural phrases
    (
        "que faire des rez-de-chaussée commerciaux fermés",
        "phrase",
        {"r06": 2, "f15": 2, "r36": 2, "r05": 2, "f01": 2, "q04": 1, "r07": 1, "p17": 1, "r08": 1},
    ),
    ("comment faire revenir les médecins en centre-ville", "phrase", {"r20": 2, "q11": 2, "p20": 2}),
    (
        "comment convaincre les propriétaires de louer leur logement vide",
        "phrase",
        {"f02": 2, "r03": 2, "q16": 1, "r04": 1},
    ),
    ("trouver de l'argent pour recycler une friche", "phrase", {"r24": 2, "q08": 2, "f09": 1, "p15": 1, "r25": 1}),
    # town names
    ("Vierzon", "ville", {"r02": 2, "f02": 2, "f15": 2, "p01": 2, "p16": 2, "m01": 1}),
    ("Romorantin", "ville", {"f09": 2, "p08": 2}),
    ("Nogent le Rotrou", "ville", {"f10": 2, "p13": 2}),
    ("Gien commerce", "ville", {"f17": 2, "p05": 2, "q01": 1}),
    # hard paraphrases
    (
        "aider les magasins à survivre pendant le covid",
        "paraphrase",
        {"f07": 2, "q13": 2, "r33": 2, "p10": 2, "m07": 1},
    ),
    ("lutter contre les îlots de chaleur", "paraphrase", {"r15": 2, "f13": 2, "p12": 1}),
    ("rapprocher les services publics des habitants", "paraphrase", {"r19": 2, "f12": 2, "p11": 2, "r34": 1}),
    (
        "réduire la place de la voiture en ville",
        "paraphrase",
        {"r11": 2, "r14": 1, "r12": 1, "f04": 1, "m05": 1, "f16": 1},
    ),
    ("acheter les murs des boutiques", "paraphrase", {"r08": 2, "r07": 1}),
    # gibberish
    ("xyzzy plugh", "charabia", {}),
    ("qsdfgh", "charabia", {}),
    ("zorglub wumpus", "charabia", {}),
]
