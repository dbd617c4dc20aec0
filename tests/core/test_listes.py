"""Choosing one item of a long list (départements, press sources) in a text box, not a ``<select>``."""

import pytest
from django import forms

from reseau_acv.core.listes import ChoixListeField, suggestions

DEPARTEMENTS = [
    ("18", "Cher (18)"),
    ("2A", "Corse-du-Sud (2A)"),
    ("2B", "Haute-Corse (2B)"),
    ("36", "Indre (36)"),
    ("37", "Indre-et-Loire (37)"),
    ("41", "Loir-et-Cher (41)"),
    ("45", "Loiret (45)"),
]


class DepartementForm(forms.Form):
    departement = ChoixListeField(
        label="Département",
        required=False,
        choices=lambda: DEPARTEMENTS,
        source="villes:departement-choices",
        aucun="aucun département de ce nom",
    )


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("41", "41"),
        ("Loir-et-Cher", "41"),
        ("loir et cher", "41"),
        ("Loir-et-Cher (41)", "41"),
        ("  LOIRET ", "45"),
        ("indre", "36"),  # a whole name beats the longer names that begin with it
        ("indre-et", "37"),  # a unique beginning is enough
        ("2a", "2A"),
        ("", None),
    ],
)
def test_a_typed_code_or_name_chooses_the_item(typed, code):
    form = DepartementForm({"departement": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["departement"] == code


def test_an_unknown_or_ambiguous_name_is_explained_in_french():
    form = DepartementForm({"departement": "Bretagne"})
    assert not form.is_valid()
    assert form.errors["departement"] == ["« Bretagne » : aucun département de ce nom. Vérifiez l'orthographe."]
    form = DepartementForm({"departement": "corse"})
    assert not form.is_valid()
    assert form.errors["departement"] == ["« corse » désigne 2 choix (Corse-du-Sud (2A), Haute-Corse (2B)) : précisez."]


def test_the_box_shows_the_chosen_items_name_and_no_list():
    html = str(DepartementForm(initial={"departement": "41"})["departement"])
    assert 'value="Loir-et-Cher (41)"' in html
    assert "<select" not in html
    assert "<option" not in html
    assert 'data-source="/villes/departements/choix/"' in html


def test_suggestions_put_whole_names_then_beginnings_then_the_rest():
    labels = [s["label"] for s in suggestions(DEPARTEMENTS, "indre")]
    assert labels == ["Indre (36)", "Indre-et-Loire (37)"]
    assert [s["label"] for s in suggestions(DEPARTEMENTS, "loir")] == [
        "Loir-et-Cher (41)",
        "Loiret (45)",
        "Indre-et-Loire (37)",
    ]
    assert suggestions(DEPARTEMENTS, "   ") == []
    assert suggestions(DEPARTEMENTS, "zzz") == []
