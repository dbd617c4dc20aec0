"""Tagging: towns (with homonyms, short forms, word boundaries), keyword rules, the labelled set."""

import csv
from pathlib import Path

import pytest

from panorama.matching import (
    KeywordMatcher,
    Rule,
    build_matcher,
    fold,
    other_communes,
    same_story,
    title_fingerprint,
    town_matcher,
)
from villes.services import villes_import_reference

LABELLED = Path(__file__).parent / "titres_etiquetes.csv"
REGION = ["18", "28", "36", "37", "41", "45"]

TOWNS = [
    ("41018", "Blois", "41"),
    ("45155", "Gien", "45"),
    ("41194", "Romorantin-Lanthenay", "41"),
    ("28280", "Nogent-le-Rotrou", "28"),
    ("28279", "Nogent-le-Roi", "28"),
    ("36018", "Le Blanc", "36"),
    ("37132", "Loches", "37"),
    ("37020", "Beaulieu-lès-Loches", "37"),
    ("41136", "Mer", "41"),
    ("18127", "Lignières", "18"),
    ("37119", "L'Île-Bouchard", "37"),
]


@pytest.fixture(scope="module")
def matcher():
    return build_matcher(TOWNS)


def codes(matcher, text, departements=REGION):
    return [m.code_insee for m in matcher.find(text, departements=departements)]


def test_fold_removes_accents_and_ligatures():
    """Accents and « œ » do not prevent a match."""
    assert fold("Cœur de Ville à Châteauroux") == "Coeur de Ville a Chateauroux"


def test_hyphens_apostrophes_and_accents_are_equivalent(matcher):
    """« Romorantin Lanthenay », « L’Ile-Bouchard » and the official spellings name the same towns."""
    assert codes(matcher, "ROMORANTIN LANTHENAY : les commerces") == ["41194"]
    assert codes(matcher, "Visite à L’Ile Bouchard") == ["37119"]
    assert codes(matcher, "La mairie de l'Île-Bouchard") == ["37119"]


def test_no_match_inside_another_word(matcher):
    """« Gien » is not found in « Giennois », nor « Mer » in « Mercredi »."""
    assert codes(matcher, "Le Giennois et les Blésois, Mercredi matin") == []


def test_lower_case_common_word_is_not_a_town(matcher):
    """« la mer » or « le blanc » in a sentence are not the communes Mer and Le Blanc."""
    assert codes(matcher, "Un week-end à la mer, du blanc partout", ["41", "36"]) == []
    assert codes(matcher, "Mer : la gare réaménagée", ["41"]) == ["41136"]
    assert codes(matcher, "Au Blanc, la sous-préfecture rénovée", ["36"]) == ["36018"]


def test_longest_name_wins(matcher):
    """« Beaulieu-lès-Loches » is that commune, not Loches; « Le Blanc-Mesnil » is not Le Blanc."""
    assert codes(matcher, "Beaulieu-lès-Loches : l'abbatiale", ["37"]) == ["37020"]
    assert codes(matcher, "Le Blanc-Mesnil : la mairie", ["93"]) == []


def test_short_form_needs_the_source_departement(matcher):
    """« Nogent » is Nogent-le-Rotrou only when the source covers Eure-et-Loir."""
    assert codes(matcher, "Nogent : une nouvelle enseigne", ["28"]) == ["28280"]
    assert codes(matcher, "Nogent : une nouvelle enseigne", ["52"]) == []
    assert codes(matcher, "Romorantin : le marché", ["41"]) == ["41194"]


def test_homonym_resolved_by_the_source_or_an_explicit_departement(matcher):
    """Lignières in a Cher title is the PVD commune; in a Loir-et-Cher title it is another one."""
    assert codes(matcher, "Lignières : le marché", ["18"]) == ["18127"]
    assert codes(matcher, "Lignières : le marché", ["41"]) == []
    assert codes(matcher, "Lignières : le marché", REGION) == []
    assert codes(matcher, "Lignières (Cher) : le marché", REGION) == ["18127"]
    assert codes(matcher, "Lignières (41) : le marché", REGION) == []


def test_unique_name_from_a_neighbouring_source(matcher):
    """A name with no homonym is found even when the source covers another département."""
    assert codes(matcher, "Blois : la navette électrique", ["37"]) == ["41018"]


def test_mention_says_why(matcher):
    """Each match carries the written form and the reason, shown to staff in the queue."""
    (mention,) = matcher.find("Nogent : la gare", departements=["28"])
    assert mention.nom == "Nogent-le-Rotrou"
    assert mention.texte == "Nogent"
    assert "forme courte" in mention.raison


def test_national_list_is_loaded():
    """The matcher knows about 1,850 communes of the national ACV and PVD lists."""
    assert len(other_communes()) > 1800


def test_keyword_rules_ignore_case_accents_and_accept_stars():
    """« OPAH-RU », « commerç* » and « Cœur de Ville » match their variants, never inside words."""
    rules = KeywordMatcher(
        [Rule(1, "OPAH-RU", 1, None), Rule(2, "commerç*", 2, None), Rule(3, "Action Cœur de Ville", None, 1)]
    )
    assert [r.pk for r in rules.find("Bilan de l'opah ru et des COMMERCANTS")] == [1, 2]
    assert [r.pk for r in rules.find("Le programme Action Coeur de Ville")] == [3]
    assert rules.find("OPAH-RUX et anticommerce") == []


def test_same_story_across_titles():
    """Near-identical titles are one story; different stories of one town are not."""
    a = title_fingerprint("Blois : la rue du Commerce rouvre après six mois de travaux")
    b = title_fingerprint("Blois. La rue du Commerce rouvre enfin après six mois de travaux")
    c = title_fingerprint("Blois : la rue du Commerce ferme pour travaux")
    assert same_story(a, b)
    assert not same_story(a, c)


@pytest.mark.django_db
def test_labelled_headlines_precision_and_recall():
    """On 186 labelled headlines (homonyms, names inside words, short forms), precision ≥ 0.97 and recall ≥ 0.95."""
    villes_import_reference()
    matcher = town_matcher()
    tp = fp = fn = 0
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    for row in rows:
        expected = set(filter(None, row["attendus"].split(";")))
        found = {m.code_insee for m in matcher.find(row["titre"], departements=row["departements"].split(";"))}
        tp, fp, fn = tp + len(expected & found), fp + len(found - expected), fn + len(expected - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\nétiquetage : {len(rows)} titres, précision {precision:.3f}, rappel {recall:.3f} (VP {tp}, FP {fp}, FN {fn})"
    )
    assert len(rows) >= 150
    assert precision >= 0.97
    assert recall >= 0.95
