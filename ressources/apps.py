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
        from django.utils.translation import ngettext

        from villes.pickers import TownContent, register_town_content

        from .models import Question, Ressource, RetourExperience

        register_town_content(
            TownContent(
                key="ressources",
                content=Ressource.objects.visible_to,
                path="villes",
                noun=lambda n: ngettext("%(n)d ressource", "%(n)d ressources", n) % {"n": n},
            )
        )
        register_town_content(
            TownContent(
                key="retours",
                content=RetourExperience.objects.visible_to,
                path="ville",
                noun=lambda n: ngettext("%(n)d fiche", "%(n)d fiches", n) % {"n": n},
            )
        )
        register_town_content(
            TownContent(
                key="questions",
                content=Question.objects.visible_to,
                path="villes",
                noun=lambda n: ngettext("%(n)d question", "%(n)d questions", n) % {"n": n},
            )
        )
