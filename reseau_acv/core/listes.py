"""Choosing one item of a long list without a ``<select>``: départements (101), press sources
(150 at national scale)…

The field is a text box. Without JavaScript the visitor types a code or a name (accents and case
do not matter, a unique part of a name is enough) and the server resolves it; with JavaScript the
box becomes the accessible combobox of the town picker (``static/js/ville-picker.js``), whose
suggestions come from a JSON endpoint that serves :func:`suggestions` of the same list.

    departement = ChoixListeField(
        label=_("Département"), choices=selectors.departements, source="villes:departement-choices",
        aucun=_("Aucun département de ce nom"),
    )

``choices`` is a callable returning ``[(code, label), …]`` (read when needed, so a cached list of
reference data costs no query); the field cleans to the chosen code (a string), or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .recherche.texte import fold

Choices = Callable[[], list[tuple[str, str]]]
SUGGESTIONS = 20
_CODE_SUFFIX = re.compile(r"\s*\([^()]*\)$")  # « Loir-et-Cher (41) » → « Loir-et-Cher »


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("'", " ").split())


def _names(code: str, label: str) -> set[str]:
    """What designates a choice whole: its code, its label, its label without « (code) »."""
    return {_key(code), _key(label), _key(_CODE_SUFFIX.sub("", label))}


def matches(text: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The choices ``text`` designates: a code or a name typed whole, else those with a word that
    begins with it (« corse » is both Corse-du-Sud and Haute-Corse), else those that hold it."""
    key = _key(text)
    if not key:
        return []
    exact = [(code, label) for code, label in choices if key in _names(code, label)]
    if exact:
        return exact[:1]
    at_a_word = [(code, label) for code, label in choices if f" {key}" in f" {_key(label)}"]
    return at_a_word or [(code, label) for code, label in choices if key in _key(label)]


def suggestions(choices: list[tuple[str, str]], query: str) -> list[dict]:
    """What the combobox suggests for ``query``: a code or a name typed whole, then the names that
    begin with it, then those that hold it."""
    key = _key(query[:80])
    if not key:
        return []
    by_code = [c for c in choices if key in _names(*c)]
    starting = [c for c in choices if _key(c[1]).startswith(key)]
    holding = [c for c in choices if key in _key(c[1])]
    ordered = list(dict.fromkeys(by_code + starting + holding))[:SUGGESTIONS]
    return [{"code": code, "label": label} for code, label in ordered]


def suggestions_response(choices: list[tuple[str, str]], query: str) -> JsonResponse:
    response = JsonResponse({"results": suggestions(choices, query)})
    response["Cache-Control"] = "private, max-age=300"
    return response


class ListePicker(forms.Widget):
    """A text box the combobox script enhances; shows the chosen code's name."""

    template_name = "core/widgets/liste_picker.html"

    def __init__(self, *, choices: Choices, source: str, aucun: str, attrs=None):
        super().__init__(attrs)
        self.choices_of = choices
        self.source = source
        self.aucun = aucun

    def format_value(self, value):
        """The chosen item's name, whether the value is its code or what was typed; else the text as typed."""
        if value in (None, ""):
            return ""
        found = matches(str(value), self.choices_of())
        return found[0][1] if len(found) == 1 else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({"source": reverse(self.source), "aucun": self.aucun})
        return context


class ChoixListeField(forms.Field):
    """One item of a long list, typed or chosen; cleans to its code (a string) or None."""

    def __init__(self, *, choices: Choices, source: str, aucun: str, **kwargs):
        self.choices_of = choices
        self.aucun = aucun
        kwargs.setdefault("widget", ListePicker(choices=choices, source=source, aucun=aucun))
        kwargs.setdefault("help_text", _("Tapez le nom ou le début du nom, puis choisissez."))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (value or "").strip()[:200]
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        found = matches(text, self.choices_of())
        if not found:
            raise ValidationError(
                _("« %(texte)s » : %(aucun)s. Vérifiez l'orthographe."),
                code="unknown",
                params={"texte": text, "aucun": self.aucun},
            )
        if len(found) > 1:
            shown = ", ".join(label for _code, label in found[:6])
            raise ValidationError(
                _("« %(texte)s » désigne %(n)d choix (%(choix)s) : précisez."),
                code="ambiguous",
                params={"texte": text, "n": len(found), "choix": shown + ("…" if len(found) > 6 else "")},
            )
        return found[0][0]


class ChoixListeFilter(django_filters.Filter):
    """A django-filter filter on one item of a long list, with :class:`ChoixListeField`.

    departement = ChoixListeFilter(
        label=_("Département"), field_name="departement_code", choices=selectors.departements,
        source="villes:departement-choices", aucun=_("aucun département de ce nom"),
    )
    """

    field_class = ChoixListeField
