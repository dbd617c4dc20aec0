from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccueilConfig(AppConfig):
    name = "reseau_acv.accueil"
    label = "accueil"
    verbose_name = _("Accueil")

    def ready(self) -> None:
        # Register the digest sections, search groups, charts and queues of the domain apps.
        from . import integrations  # noqa: F401 (imported for its registrations)
