from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillesConfig(AppConfig):
    name = "villes"
    verbose_name = _("Villes et communes")

    def ready(self) -> None:
        from reseau_acv.comptes.services import register_invitation_accept_hook

        from .services import missions_attach_invited_user

        register_invitation_accept_hook(missions_attach_invited_user)
