from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComptesConfig(AppConfig):
    name = "reseau_acv.comptes"
    label = "comptes"
    verbose_name = _("Comptes")
