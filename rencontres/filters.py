"""Filters of the agenda: period, kind, town, theme."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from villes.filters import VillePickerFilter

from .models import Rencontre


class RencontreFilter(django_filters.FilterSet):
    periode = django_filters.ChoiceFilter(
        label=_("Période"),
        choices=[("a_venir", _("À venir")), ("passees", _("Passées")), ("toutes", _("Toutes"))],
        method="filter_periode",
        empty_label=None,
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=Rencontre.Type.choices, empty_label=_("Tous les types"))
    ville = VillePickerFilter(label=_("Ville"), field_name="ville", contenu="rencontres")
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.order_by("ordre", "nom"),
        field_name="themes",
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )

    class Meta:
        model = Rencontre
        fields = ["periode", "type", "ville", "theme"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("periode"):
            data["periode"] = "a_venir"
        super().__init__(data, *args, **kwargs)

    def filter_periode(self, queryset, name, value):
        now = timezone.now()
        if value == "passees":
            return queryset.filter(fin__lt=now).order_by("-debut")
        if value == "toutes":
            return queryset.order_by("-debut")
        return queryset.filter(fin__gte=now).order_by("debut")
