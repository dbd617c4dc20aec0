import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reseau_acv.comptes.models import Organisation, Role, User
from reseau_acv.core.listes import ChoixListeFilter
from reseau_acv.core.models import Theme
from reseau_acv.core.widgets import ListeSelect

from . import selectors
from .fields import VilleField
from .models import Programme, Ville


class VillePickerFilter(django_filters.Filter):
    """A filter on one town, chosen with the town picker (no ``<select>`` of 1,850 options).

    ``contenu`` names the content registered in :mod:`villes.pickers` whose towns the picker
    suggests, with their number (only what the visitor may see):

        ville = VillePickerFilter(field_name="villes", label=_("Ville"), contenu="ressources")
    """

    field_class = VilleField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


def departement_filter(field_name: str, **kwargs) -> ChoixListeFilter:
    """A département typed in a box (101 of them: no ``<select>``), a code or a name."""
    return ChoixListeFilter(
        label=_("Département"),
        field_name=field_name,
        choices=selectors.departements,
        source="villes:departement-choices",
        aucun=_("aucun département de ce nom"),
        help_text=_("Tapez le nom ou le numéro du département."),
        **kwargs,
    )


class TousOuiNon(django_filters.widgets.BooleanWidget):
    """Yes / no / either, as a visitor reads it (django-filter's own says « Inconnu » for either)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Toutes les villes")), ("true", _("Oui")), ("false", _("Non")))


class VilleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom"), method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="programmes",
        queryset=Programme.objects.all(),
        to_field_name="code",
        empty_label=_("Tous les programmes"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=selectors.regions, empty_label=_("Toutes"), widget=ListeSelect
    )
    departement = departement_filter("departement_code")
    reseau = django_filters.BooleanFilter(
        label=_("Réseau régional ACV seulement"),
        field_name="reseau_regional",
        widget=TousOuiNon(),
    )

    class Meta:
        model = Ville
        fields = ["q", "programme", "region", "departement"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(nom__icontains=value) | Q(code_insee=value) | Q(epci_nom__icontains=value))


class MembreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom, organisation ou fonction"), method="filter_q")
    role = django_filters.ChoiceFilter(label=_("Rôle"), choices=Role.choices, empty_label=_("Tous"))
    departement = departement_filter("missions__ville__departement_code", distinct=True)
    ville = VillePickerFilter(label=_("Ville"), method="filter_ville")
    expertise = django_filters.ModelChoiceFilter(
        label=_("Thème d'expertise"),
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        method="filter_expertise",
        empty_label=_("Tous"),
    )

    def filter_ville(self, queryset, name, value):
        return queryset.filter(missions__ville=value).distinct()

    def filter_expertise(self, queryset, name, value):
        """Members who declare this theme, and partners whose organisation covers it."""
        experts = User.themes_expertise.through.objects.filter(theme=value).values("user_id")
        covering = Organisation.themes.through.objects.filter(theme=value).values("organisation_id")
        return queryset.filter(Q(pk__in=experts) | Q(role=Role.PARTENAIRE, organisation_id__in=covering))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(organisation__nom__icontains=value)
            | Q(fonction__icontains=value)
            | Q(missions__ville__nom__icontains=value)
        ).distinct()
