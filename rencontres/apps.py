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
        from django.utils.translation import ngettext

        from villes.pickers import TownContent, register_town_content

        from .models import Rencontre

        register_town_content(
            TownContent(
                key="rencontres",
                content=Rencontre.objects.visible_to,
                path="ville",
                noun=lambda n: ngettext("%(n)d rencontre", "%(n)d rencontres", n) % {"n": n},
            )
        )
