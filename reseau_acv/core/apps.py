from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "reseau_acv.core"
    label = "core"
    verbose_name = _("Socle commun")

    def ready(self) -> None:
        from .db import install_sqlite_functions
        from .i18n import use_french_day_ordinal, use_french_plural_rule

        use_french_plural_rule()
        use_french_day_ordinal()

        connection_created.connect(install_sqlite_functions, dispatch_uid="core.sqlite_functions")
