"""Demo preferences: a lead on the daily digest following their themes, a partner on the weekly one.
Beat sends the digests at their hour (``manage.py shell -c`` with ``digest_run`` to try now)."""

from __future__ import annotations

from django.db import transaction

from reseau_acv.core.models import Theme
from reseau_acv.core.notifications import follows_set

from .models import Frequence, Preferences

DEMO_PREFERENCES = {
    "chef.blois@reseau-acv.test": (Frequence.QUOTIDIENNE, ["habitat", "commerce"]),
    "chef.bourges@reseau-acv.test": (Frequence.HEBDOMADAIRE, ["habitat", "financement"]),
    "partenaire@reseau-acv.test": (Frequence.HEBDOMADAIRE, []),
    "admin@reseau-acv.test": (Frequence.AUCUNE, []),
}


@transaction.atomic
def seed_accueil(users: dict) -> None:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for email, (frequence, slugs) in DEMO_PREFERENCES.items():
        user = users.get(email)
        if user is None:
            continue
        Preferences.objects.update_or_create(user=user, defaults={"frequence": frequence})
        follows_set(actor=user, model=Theme, chosen=[themes[slug] for slug in slugs if slug in themes])
