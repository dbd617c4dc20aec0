"""Filters of the library (django-filter). The full-text query is applied after them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.visibility import Visibilite
from villes.filters import VillePickerFilter
from villes.models import Programme

from .models import Question, Ressource, RetourExperience

SORT_CHOICES = [
    ("", _("Pertinence (avec une recherche) ou plus récentes")),
    ("recent", _("Plus récentes")),
    ("ancien", _("Plus anciennes")),
    ("titre", _("Titre (A → Z)")),
    ("utile", _("Les plus utiles")),
]
RETOUR_SORTS = {
    "recent": ("-publie_le", "-cree_le", "pk"),
    "utile": ("-nb_utile", "-publie_le", "pk"),
}


def _years():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year, 2017, -1)]


class RessourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="keep")
    type = django_filters.ChoiceFilter(label=_("Type"), choices=Ressource.Type.choices, empty_label=_("Tous"))
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    ville = VillePickerFilter(label=_("Ville"), field_name="villes", contenu="ressources")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.all(), to_field_name="code", empty_label=_("Tous")
    )
    annee = django_filters.ChoiceFilter(label=_("Année"), choices=_years, method="filter_year", empty_label=_("Toutes"))
    visibilite = django_filters.ChoiceFilter(label=_("Visibilité"), choices=Visibilite.choices, empty_label=_("Toutes"))
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"), choices=SORT_CHOICES[1:], method="keep", empty_label=SORT_CHOICES[0][1]
    )

    class Meta:
        model = Ressource
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_equipe(user):
            del self.filters["visibilite"]
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def keep(self, queryset, name, value):
        return queryset  # applied by the selector, after the filters

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(Q(date_document__year=year) | Q(date_document__isnull=True, publie_le__year=year))


class RetourFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="keep")
    type_difficulte = django_filters.ChoiceFilter(
        label=_("Difficulté"), choices=RetourExperience.Difficulte.choices, empty_label=_("Toutes")
    )
    type_levier = django_filters.ChoiceFilter(
        label=_("Levier"), choices=RetourExperience.Levier.choices, empty_label=_("Tous")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    ville = VillePickerFilter(label=_("Ville"), field_name="ville", contenu="retours")
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[("recent", _("Plus récents")), ("utile", _("Les plus utiles"))],
        method="sort",
        empty_label=_("Pertinence (avec une recherche) ou plus récents"),
    )

    class Meta:
        model = RetourExperience
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def keep(self, queryset, name, value):
        return queryset

    def sort(self, queryset, name, value):
        return queryset.order_by(*RETOUR_SORTS[value])


class QuestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="keep")
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    ville = VillePickerFilter(label=_("Ville"), field_name="villes", contenu="questions")
    ouvertes = django_filters.BooleanFilter(
        label=_("Sans réponse retenue"), field_name="reponse_retenue", lookup_expr="isnull", widget=forms.CheckboxInput
    )

    class Meta:
        model = Question
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def keep(self, queryset, name, value):
        return queryset
