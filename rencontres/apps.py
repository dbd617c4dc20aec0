from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RencontresConfig(AppConfig):
    name = "rencontres"
    verbose_name = _("Rencontres du réseau")

    def ready(self) -> None:
        from villes.sections import TownSection, register_town_section

        from .selectors import ville_section_context

        register_town_section(
            TownSection(
                key="rencontres",
                template="rencontres/includes/_ville_section.html",
                context=ville_section_context,
                order=30,
            )
        )
