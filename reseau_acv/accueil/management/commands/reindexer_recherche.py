"""Rebuild the search index of every kind of content (after a bulk load, or an upgrade).

    python manage.py reindexer_recherche

The services keep the index current on every write; this is for rows written around them.
"""

from django.core.management.base import BaseCommand

from reseau_acv.accueil.search import reindex_all


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche de tous les contenus."

    def handle(self, *args, **options):
        for key, n in reindex_all().items():
            self.stdout.write(f"{key} : {n} indexé(s)")
