import django_filters
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from villes.models import Ville

from .forms import DateInput
from .models import ArticlePresse, Source


class ArticleFilter(django_filters.FilterSet):
    ville = django_filters.ModelChoiceFilter(
        label=_("Ville"),
        field_name="villes",
        queryset=Ville.objects.filter(ville_appui=False).order_by("nom"),
        to_field_name="slug",
        empty_label=_("Toutes les villes"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        field_name="parutions__source",
        queryset=Source.objects.order_by("nom"),
        empty_label=_("Toutes les sources"),
        distinct=True,
    )
    du = django_filters.DateFilter(label=_("Du"), field_name="publie_le", lookup_expr="date__gte", widget=DateInput())
    au = django_filters.DateFilter(label=_("Au"), field_name="publie_le", lookup_expr="date__lte", widget=DateInput())

    class Meta:
        model = ArticlePresse
        fields = ["ville", "theme", "source", "du", "au"]
