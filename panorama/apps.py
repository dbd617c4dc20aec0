from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanoramaConfig(AppConfig):
    name = "panorama"
    verbose_name = _("Panorama de presse")

    def ready(self) -> None:
        from villes.sections import TownSection, register_town_section

        from .selectors import ville_press

        register_town_section(
            TownSection(key="presse", template="panorama/includes/_ville_presse.html", context=ville_press, order=50)
        )
        from django.utils.translation import ngettext

        from villes.pickers import TownContent, register_town_content

        from .models import ArticlePresse

        register_town_content(
            TownContent(
                key="presse",
                content=lambda user: ArticlePresse.objects.visible_to(user).kept(),
                path="villes",
                noun=lambda n: ngettext("%(n)d article", "%(n)d articles", n) % {"n": n},
            )
        )
        register_town_content(
            TownContent(
                key="presse-a-trier",
                content=lambda user: ArticlePresse.objects.visible_to(user).queue(),
                path="villes",
                noun=lambda n: ngettext("%(n)d article à trier", "%(n)d articles à trier", n) % {"n": n},
            )
        )
