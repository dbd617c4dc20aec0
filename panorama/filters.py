from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.listes import ChoixListeFilter
from reseau_acv.core.models import Theme
from villes.filters import VillePickerFilter

from .forms import DateInput
from .models import ArticlePresse, Parution
from .selectors import SOURCE_BOX, source_choices


def _start_of_day(day: date) -> datetime:
    """Midnight of ``day`` in the site's time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="keep", max_length=200)
    ville = VillePickerFilter(label=_("Ville"), field_name="villes", contenu="presse")
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        queryset=Theme.objects.order_by("ordre"),
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    source = ChoixListeFilter(
        label=_("Source"),
        choices=source_choices,
        help_text=_("Tapez le nom du journal ou de la radio."),
        method="filter_source",
        **SOURCE_BOX,
    )
    # A range on the stored instant (not ``publie_le__date``) so that PostgreSQL reads the date index.
    du = django_filters.DateFilter(label=_("Du"), method="filter_du", widget=DateInput())
    au = django_filters.DateFilter(label=_("Au"), method="filter_au", widget=DateInput())

    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[("date", _("Date (plus récents d'abord)"))],
        empty_label=_("Pertinence (avec une recherche) ou date"),
        method="keep",
    )

    class Meta:
        model = ArticlePresse
        fields = ["q", "ville", "theme", "source", "du", "au", "tri"]

    def keep(self, queryset, name, value):
        return queryset  # the searched text is applied by the view, after the filters

    def filter_source(self, queryset, name, value):
        """Articles with an appearance in this source, each once (a semi-join, no DISTINCT)."""
        return queryset.filter(pk__in=Parution.objects.filter(source_id=value).values("article_id"))

    def filter_du(self, queryset, name, value):
        return queryset.filter(publie_le__gte=_start_of_day(value))

    def filter_au(self, queryset, name, value):
        return queryset.filter(publie_le__lt=_start_of_day(value + timedelta(days=1)))
