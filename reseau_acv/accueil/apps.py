from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccueilConfig(AppConfig):
    name = "reseau_acv.accueil"
    label = "accueil"
    verbose_name = _("Accueil")
