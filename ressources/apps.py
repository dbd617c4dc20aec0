from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RessourcesConfig(AppConfig):
    name = "ressources"
    verbose_name = _("Ressources")

    def ready(self) -> None:
        from villes.sections import TownSection, register_town_section

        from .selectors import town_section_context

        register_town_section(
            TownSection(
                key="ressources",
                template="ressources/includes/_town_section.html",
                context=town_section_context,
                order=20,
            )
        )
